import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { describeIssues } from '../shared/http';

/** An item image in DynamoDB JSON (`{"id": {"S": "..."}}`); the values are checked by unmarshalling. */
const image = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * The change record Kinesis Data Streams for DynamoDB writes for every item-level change (the same
 * content as a DynamoDB Streams record, serialised as JSON). Powertools' parser ships this schema
 * (`DynamoDBStreamToKinesisRecord`), but it is written against the full `zod` build, which would
 * put about 430 KB of zod into this function; see `npm run bench:lambdas` and the README.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds.html
 */
const changeRecord = z
  .object({
    awsRegion: z.string(),
    eventID: z.string(),
    eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
    // Present (type Service, principal dynamodb.amazonaws.com) only for TTL deletions.
    userIdentity: z.nullish(z.object({ type: z.string(), principalId: z.string() })),
    recordFormat: z.literal('application/json'),
    tableName: z.string(),
    dynamodb: z.object({
      ApproximateCreationDateTime: z.number(),
      Keys: image,
      NewImage: z.optional(image),
      OldImage: z.optional(image),
      SizeBytes: z.number(),
    }),
    eventSource: z.literal('aws:dynamodb'),
  })
  .check(
    z.refine((r) => r.eventName === 'REMOVE' || r.dynamodb.NewImage !== undefined, {
      message: 'INSERT and MODIFY records must carry the NewImage (the table streams new images)',
      path: ['dynamodb', 'NewImage'],
    }),
  );

/** A stored comment, as the `POST /comment` mapping template writes it. */
export const comment = z.object({
  id: z.string().check(z.minLength(1)),
  username: z.string(),
  message: z.string(),
  createdAt: z.int(),
});
export type Comment = z.infer<typeof comment>;

const removedKeys = z.object({ id: z.string().check(z.minLength(1)) });

export type CommentChange =
  | { readonly eventName: 'INSERT' | 'MODIFY'; readonly eventID: string; readonly changedAt: number; readonly comment: Comment }
  | { readonly eventName: 'REMOVE'; readonly eventID: string; readonly changedAt: number; readonly id: string };

/** A record that can never be processed, whatever the number of retries. */
export class InvalidChangeRecord extends Error {
  constructor(message: string, readonly details: readonly string[] = []) {
    super(details.length > 0 ? `${message}: ${details.join('; ')}` : message);
    this.name = 'InvalidChangeRecord';
  }
}

/** Decodes one Kinesis record's data (base64 of the change record JSON) into a validated comment change. */
export function decodeCommentChange(base64Data: string): CommentChange {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64Data, 'base64').toString('utf8'));
  } catch {
    throw new InvalidChangeRecord('Record data is not JSON');
  }
  const record = changeRecord.safeParse(parsed);
  if (!record.success) {
    throw new InvalidChangeRecord('Record data is not a DynamoDB change record', describeIssues(record.error));
  }
  const { eventName, eventID, dynamodb } = record.data;
  const changedAt = dynamodb.ApproximateCreationDateTime;
  if (eventName === 'REMOVE') {
    const id = removedKeys.safeParse(unmarshallImage(dynamodb.Keys, 'Keys'));
    if (!id.success) throw new InvalidChangeRecord('Keys hold no comment id', describeIssues(id.error));
    return { eventName, eventID, changedAt, id: id.data.id };
  }
  const item = comment.safeParse(unmarshallImage(dynamodb.NewImage!, 'NewImage'));
  if (!item.success) throw new InvalidChangeRecord('NewImage is not a comment', describeIssues(item.error));
  return { eventName, eventID, changedAt, comment: item.data };
}

function unmarshallImage(value: Record<string, Record<string, unknown>>, what: string): Record<string, unknown> {
  try {
    return unmarshall(value as unknown as Record<string, AttributeValue>);
  } catch (error) {
    throw new InvalidChangeRecord(`${what} is not a DynamoDB item`, [(error as Error).message]);
  }
}
