import type { ServiceAction } from '../aws/service-call';

/**
 * The IAM action and resource ARN of each service call an integration makes. For the JSON-protocol
 * actions the local plane serves, the IAM action is the API action's name under the service's
 * prefix (Service Authorization Reference, "Actions defined by ..."), and the resource is the one
 * the action's row names: a table, a stream, a queue.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonkinesis.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
 */
export interface RequiredAccess {
  /** `kinesis:GetRecords` */
  readonly action: string;
  readonly resource: string;
  /** The stream a Kinesis call reads or writes, to find the key it is encrypted with. */
  readonly stream?: string;
  /** The queue an SQS call names, to find the key it is encrypted with. */
  readonly queueUrl?: string;
  /** The secret (name or ARN) a Secrets Manager call names: its ARN and key are read from the emulator. */
  readonly secretId?: string;
}

export interface AccountScope {
  readonly region: string;
  readonly accountId: string;
}

/**
 * SQS's batch actions have no IAM action of their own: each is authorized as its single-message
 * action ("permission for ... SendMessageBatch is the same as for SendMessage").
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 */
const AUTHORIZED_AS: Readonly<Record<string, string>> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};

/** Actions without a resource type in IAM: granted on `*`. */
const WITHOUT_RESOURCE = new Set(['kinesis:ListStreams', 'secretsmanager:GetRandomPassword', 'secretsmanager:ListSecrets']);

/**
 * What `call` with `body` needs; undefined when the request names no resource the local plane can
 * read (a malformed one, which the service refuses before any data is touched).
 */
export function requiredAccess(call: ServiceAction, body: string, scope: AccountScope): RequiredAccess | undefined {
  const action = AUTHORIZED_AS[`${call.service}:${call.action}`] ?? `${call.service}:${call.action}`;
  if (WITHOUT_RESOURCE.has(action)) return { action, resource: '*' };
  const input = parse(body);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${scope.region}:${scope.accountId}:${resource}`;
  switch (call.service) {
    case 'dynamodb': {
      const table = stringField(input, 'TableName');
      return table === undefined ? undefined : { action, resource: arn('dynamodb', `table/${table}`) };
    }
    case 'kinesis': {
      const stream = kinesisStream(call.action, input);
      return stream === undefined ? undefined : { action, resource: arn('kinesis', `stream/${stream}`), stream };
    }
    case 'sqs': {
      const queueUrl = stringField(input, 'QueueUrl');
      const queue = queueUrl?.split('/').pop();
      return queue ? { action, resource: arn('sqs', queue), queueUrl } : undefined;
    }
    case 'secretsmanager': {
      const secretId = stringField(input, 'SecretId');
      // The ARN is the emulator's (with its random suffix); a name is resolved by the caller.
      return secretId === undefined ? undefined : { action, resource: secretId.startsWith('arn:') ? secretId : '', secretId };
    }
    default:
      throw new Error(`The local IAM evaluation has no resource mapping for ${action}; add one in local/iam/service-access.ts.`);
  }
}

function kinesisStream(action: string, input: Record<string, unknown>): string | undefined {
  const named = stringField(input, 'StreamName') ?? stringField(input, 'StreamARN')?.split(':stream/')[1];
  if (action !== 'GetRecords') return named;
  // moto writes "None" as the stream of an iterator asked for by StreamARN (moto/kinesis/models.py
  // get_shard_iterator passes the absent StreamName to compose_new_shard_iterator); the request's
  // StreamARN names the stream then.
  const ofIterator = streamOfShardIterator(stringField(input, 'ShardIterator'));
  return ofIterator === MOTO_UNNAMED_STREAM ? named : ofIterator;
}

const MOTO_UNNAMED_STREAM = 'None';

/**
 * The stream a shard iterator was issued for. Kinesis reads it from the iterator, so an iterator of
 * one stream used on another route is checked against the stream it belongs to. moto's iterators
 * are base64 of `<stream>:<shard>:<sequence>` (moto/kinesis/utils.py compose_shard_iterator).
 */
export function streamOfShardIterator(iterator: string | undefined): string | undefined {
  if (!iterator) return undefined;
  const decoded = Buffer.from(iterator, 'base64').toString('utf8');
  const [stream, shard, sequence] = decoded.split(':');
  return stream && /^[a-zA-Z0-9_.-]{1,128}$/.test(stream) && /^shardId-\d+$/.test(shard ?? '') && /^\d+$/.test(sequence ?? '') ? stream : undefined;
}

function stringField(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parse(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
