import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  _Record,
} from '@aws-sdk/client-kinesis';
import { marshall } from '@aws-sdk/util-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { useLogCapture } from '../support/logs';
import { useEmulator } from '../support/moto';

/**
 * The consumer, fed with records that really went through the emulator's Kinesis API: each record's
 * data is a DynamoDB change record as Kinesis Data Streams for DynamoDB writes it.
 */

const REGION = 'us-east-1';
const STREAM = 'sp-test-comments-changes';
const TABLE = 'sp-test-comments-comments';

type Handler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;

let kinesis: KinesisClient;
let handler: Handler;
let streamArn: string;
let shardId: string;

const logs = useLogCapture();
useEmulator(REGION);
beforeAll(async () => {
  process.env.POWERTOOLS_SERVICE_NAME = 'sp-test-comments-consumer';
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  // The Kinesis client defaults to HTTP/2 (for SubscribeToShard); moto speaks HTTP/1.1 only.
  kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler() });
  await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 1 }));
  const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
  streamArn = summary.StreamDescriptionSummary!.StreamARN!;
  shardId = (await kinesis.send(new ListShardsCommand({ StreamName: STREAM }))).Shards![0].ShardId!;
  ({ handler } = (await import('../../lambdas/comments/consumer')) as { handler: Handler });
});

afterAll(async () => {
  kinesis?.destroy();
});

beforeEach(() => {
  logs.clear();
});

interface StoredComment {
  id: string;
  username: string;
  message: string;
  createdAt: number;
}

/** The change record DynamoDB writes to Kinesis for one item-level change. */
function changeRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: StoredComment, omit: 'NewImage'[] = []): Record<string, unknown> {
  const newImage = eventName === 'REMOVE' || omit.includes('NewImage') ? {} : { NewImage: marshall(item) };
  const oldImage = eventName === 'INSERT' ? {} : { OldImage: marshall(item) };
  return {
    awsRegion: REGION,
    eventID: `${item.id.slice(0, 8)}-2f3c-4f8e-9d2a-${eventName.toLowerCase().padEnd(12, '0')}`,
    eventName,
    userIdentity: null,
    recordFormat: 'application/json',
    tableName: TABLE,
    dynamodb: {
      ApproximateCreationDateTime: item.createdAt + 7,
      Keys: marshall({ id: item.id }),
      ...newImage,
      ...oldImage,
      SizeBytes: 120,
    },
    eventSource: 'aws:dynamodb',
  };
}

/** Puts each payload on the stream in order and reads them back with GetShardIterator + GetRecords. */
async function throughKinesis(payloads: (string | Record<string, unknown>)[]): Promise<_Record[]> {
  let first: string | undefined;
  for (const [i, payload] of payloads.entries()) {
    const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const put = await kinesis.send(new PutRecordCommand({ StreamName: STREAM, PartitionKey: `pk-${i}`, Data: Buffer.from(data, 'utf8') }));
    first ??= put.SequenceNumber;
  }
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName: STREAM, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: first }),
  );
  const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: payloads.length }));
  expect(Records).toHaveLength(payloads.length);
  return Records!;
}

/** The event Lambda's Kinesis poller delivers for these records. */
function lambdaEvent(records: _Record[]): KinesisStreamEvent {
  return {
    Records: records.map((r) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.PartitionKey!,
        sequenceNumber: r.SequenceNumber!,
        data: Buffer.from(r.Data!).toString('base64'),
        approximateArrivalTimestamp: r.ApproximateArrivalTimestamp!.getTime() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${r.SequenceNumber!}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/sp-test-comments-consumer-role',
      awsRegion: REGION,
      eventSourceARN: streamArn,
    })),
  };
}

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'sp-test-comments-consumer',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:123456789012:function:sp-test-comments-consumer`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/sp-test-comments-consumer',
    logStreamName: '2026/01/15/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function logEntries(): Record<string, unknown>[] {
  return logs.entries();
}

const comments: StoredComment[] = [
  { id: '0f8fad5b-d9cb-469f-a165-708677289501', username: 'ada', message: 'My first comment', createdAt: 1768469400123 },
  { id: '0f8fad5b-d9cb-469f-a165-708677289502', username: "O'Brien", message: 'Quotes " \\ and\nnewlines', createdAt: 1768469401000 },
  { id: '0f8fad5b-d9cb-469f-a165-708677289503', username: 'Zoë', message: 'Grüße 🎉', createdAt: 1768469402000 },
];

describe('comments consumer', () => {
  it('decodes every change record of a batch and logs each comment as structured JSON', async () => {
    const records = await throughKinesis(comments.map((c) => changeRecord('INSERT', c)));
    const response = await handler(lambdaEvent(records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const logged = logEntries().filter((e) => e.message === 'comment change');
    expect(logged).toHaveLength(3);
    logged.forEach((entry, i) => {
      expect(entry).toMatchObject({
        level: 'INFO',
        service: 'sp-test-comments-consumer',
        function_request_id: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
        eventName: 'INSERT',
        sequenceNumber: records[i].SequenceNumber,
        changedAt: comments[i].createdAt + 7,
        comment: comments[i],
      });
    });
  });

  it('logs modifications and removals too', async () => {
    const records = await throughKinesis([changeRecord('MODIFY', comments[0]), changeRecord('REMOVE', comments[1])]);
    const response = await handler(lambdaEvent(records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    const logged = logEntries().filter((e) => e.message === 'comment change');
    expect(logged[0]).toMatchObject({ eventName: 'MODIFY', comment: comments[0] });
    expect(logged[1]).toMatchObject({ eventName: 'REMOVE', id: comments[1].id });
    expect(logged[1]).not.toHaveProperty('comment');
  });

  it.each([
    ['data that is not JSON', 'this is not json {'],
    ['an INSERT without NewImage', changeRecord('INSERT', comments[1], ['NewImage'])],
    ['JSON that is not a change record', { hello: 'world' }],
    ['a NewImage that is not a comment', { ...changeRecord('INSERT', comments[1]), dynamodb: { ...(changeRecord('INSERT', comments[1]).dynamodb as object), NewImage: marshall({ id: 'x', createdAt: 'yesterday' }) } }],
  ])('reports only the poison record (%s) by its sequence number', async (_name, poison) => {
    const records = await throughKinesis([changeRecord('INSERT', comments[0]), poison, changeRecord('INSERT', comments[2])]);
    const response = await handler(lambdaEvent(records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1].SequenceNumber }] });
    const entries = logEntries();
    expect(entries.filter((e) => e.message === 'comment change').map((e) => (e.comment as StoredComment).id)).toEqual([comments[0].id, comments[2].id]);
    const failure = entries.find((e) => e.message === 'undecodable record');
    expect(failure).toMatchObject({ stream: 'stderr', level: 'ERROR', sequenceNumber: records[1].SequenceNumber, reason: expect.any(String) });
    // The reason is logged, the record's content is not, on either stream.
    expect(logs.text()).not.toContain(comments[1].message.slice(0, 6));
  });

  it('fails the whole invocation when every record is poison, so Lambda retries and bisects it', async () => {
    const records = await throughKinesis(['nope', 'still nope']);
    await expect(handler(lambdaEvent(records), lambdaContext())).rejects.toThrow(/All records failed processing/);
  });
});
