import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Checkpoints } from '../../local/event-sources/checkpoints';
import { deliverBatch } from '../../local/event-sources/invoke-record';
import { toKinesisChangeRecord } from '../../local/event-sources/table-kinesis-destination';
import { FunctionRegistry } from '../../local/lambda/functions';

// AWS: "Handling errors for an SQS event source" / "Reporting batch item failures for Kinesis"
// https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
// https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
function registry(answer: { ok: true; result: unknown } | { ok: false; error: { errorType: string; errorMessage: string } }): FunctionRegistry {
  return { get: async () => ({ name: 'f', arn: 'arn', timeoutMs: 1000, invoke: async () => ({ ...answer, requestId: 'r' }) }) } as unknown as FunctionRegistry;
}

describe('batch delivery with ReportBatchItemFailures', () => {
  const ids = ['1', '2', '3'];

  it('is a success with no or an empty batchItemFailures', async () => {
    expect(await deliverBatch(registry({ ok: true, result: null }), 'arn', {}, ids, true)).toEqual({ kind: 'success' });
    expect(await deliverBatch(registry({ ok: true, result: { batchItemFailures: [] } }), 'arn', {}, ids, true)).toEqual({ kind: 'success' });
  });

  it('fails only the reported items, in batch order', async () => {
    const result = { batchItemFailures: [{ itemIdentifier: '3' }, { itemIdentifier: '2' }] };
    expect(await deliverBatch(registry({ ok: true, result }), 'arn', {}, ids, true)).toEqual({ kind: 'partial', failed: ['2', '3'] });
  });

  it('fails the whole batch when an identifier is empty or unknown', async () => {
    for (const bad of [{ itemIdentifier: '' }, { itemIdentifier: '9' }, {}]) {
      expect(await deliverBatch(registry({ ok: true, result: { batchItemFailures: [bad] } }), 'arn', {}, ids, true)).toEqual({ kind: 'partial', failed: ids });
    }
  });

  it('ignores the response without ReportBatchItemFailures, and reports a function error', async () => {
    expect(await deliverBatch(registry({ ok: true, result: { batchItemFailures: [{ itemIdentifier: '1' }] } }), 'arn', {}, ids, false)).toEqual({ kind: 'success' });
    expect(await deliverBatch(registry({ ok: false, error: { errorType: 'Boom', errorMessage: 'x' } }), 'arn', {}, ids, true)).toMatchObject({ kind: 'error', functionError: 'Boom' });
  });
});

// AWS: "Change data capture for Kinesis Data Streams with DynamoDB" (record format)
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds.html
describe('Kinesis Data Streams for DynamoDB record format', () => {
  it('carries the table name, the images and millisecond ApproximateCreationDateTime, as JSON', () => {
    const record = toKinesisChangeRecord(
      {
        eventID: 'e',
        eventName: 'INSERT',
        dynamodb: { ApproximateCreationDateTime: new Date(1700000000123), Keys: { id: { S: '1' } }, NewImage: { id: { S: '1' }, message: { S: 'hi' } }, SizeBytes: 20 },
      },
      'comments',
      'us-east-1',
    );
    expect(record).toMatchObject({
      awsRegion: 'us-east-1',
      eventName: 'INSERT',
      userIdentity: null,
      recordFormat: 'application/json',
      tableName: 'comments',
      eventSource: 'aws:dynamodb',
      dynamodb: { ApproximateCreationDateTime: 1700000000123, Keys: { id: { S: '1' } }, NewImage: { id: { S: '1' }, message: { S: 'hi' } }, SizeBytes: 20 },
    });
    expect(record.dynamodb).not.toHaveProperty('OldImage');
    expect(typeof record.eventID).toBe('string');
  });
});

// AWS: a Kinesis mapping keeps its position per shard ("Polling and batching streams")
// https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#kinesis-polling-and-batching
describe('Kinesis mapping checkpoints', () => {
  it('remembers the last delivered sequence number per mapping and shard, across instances', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-checkpoints-'));
    const file = path.join(dir, 'c.json');
    new Checkpoints(file).set('m1', 'shardId-000000000000', '42');
    expect(new Checkpoints(file).get('m1', 'shardId-000000000000')).toBe('42');
    expect(new Checkpoints(file).get('m2', 'shardId-000000000000')).toBeUndefined();
    fs.writeFileSync(file, 'not json');
    expect(new Checkpoints(file).get('m1', 'shardId-000000000000')).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
