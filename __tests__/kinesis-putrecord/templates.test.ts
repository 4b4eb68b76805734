import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { AWKWARD_RECORDS, renderResponse, throughApiGateway, useEmulatorStreams } from '../support/kinesis';
import { responseTemplateOf, routesOf } from '../support/routes';
import { Moto } from '../support/moto';
import { appStack } from '../support/synth';

/**
 * PUT /{stream-name}: the synthesized PutRecord templates rendered with the VTL renderer, the result
 * sent byte for byte to the emulator's Kinesis API, read back with the SDK, and the response
 * templates rendered against what the emulator answered.
 */

const tf = appStack('apigw-kinesis-putrecord');
const PUT = routesOf(tf)['PUT /{stream-name}'];
const PHYSICAL = { orders: 'sp-dev-kput-orders', clicks: 'sp-dev-kput-clicks' } as const;
const SHARD = 'shardId-000000000000';

let moto: Moto;
let kinesis: KinesisClient;

const suite = useEmulatorStreams([...Object.values(PHYSICAL), 'sp-dev-kproxy-events']);
beforeAll(() => ({ moto, kinesis } = suite()));

const put = (stream: string, body: unknown) =>
  throughApiGateway(PUT, moto.endpoint, { pathParameters: { 'stream-name': stream }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function readBack(streamName: string, sequenceNumber: string): Promise<{ PartitionKey?: string; Data: unknown }> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName: streamName, ShardId: SHARD, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequenceNumber }),
  );
  const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
  const record = Records?.[0];
  if (!record || record.SequenceNumber !== sequenceNumber) throw new Error(`record ${sequenceNumber} not found in ${streamName}`);
  return { PartitionKey: record.PartitionKey, Data: JSON.parse(Buffer.from(record.Data ?? []).toString('utf8')) };
}

describe('PUT /{stream-name}: accepted records', () => {
  it.each(AWKWARD_RECORDS.map((r) => [r.name, r] as const))('stores %s exactly as sent and answers SequenceNumber and ShardId', async (_name, record) => {
    const result = await put('orders', { Data: record.Data, PartitionKey: record.PartitionKey });

    const sent = JSON.parse(result.sent) as Record<string, string>;
    expect(Object.keys(sent).sort()).toEqual(['Data', 'PartitionKey', 'StreamName']);
    expect(sent.StreamName).toBe(PHYSICAL.orders);
    expect(sent.PartitionKey).toBe(record.PartitionKey);
    // Data is the base64 of the JSON text of what the client sent.
    expect(JSON.parse(Buffer.from(sent.Data, 'base64').toString('utf8'))).toEqual(record.Data);

    expect(result.kinesis.status).toBe(200);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ SequenceNumber: expect.stringMatching(/^\d+$/), ShardId: SHARD });

    const stored = await readBack(PHYSICAL.orders, (result.body as { SequenceNumber: string }).SequenceNumber);
    expect(stored).toEqual({ PartitionKey: record.PartitionKey, Data: record.Data });
  });

  it('writes to whichever served stream the path names', async () => {
    const result = await put('clicks', { Data: { page: '/home' }, PartitionKey: 'session-1' });
    expect(result.status).toBe(200);
    expect(await readBack(PHYSICAL.clicks, (result.body as { SequenceNumber: string }).SequenceNumber)).toEqual({ PartitionKey: 'session-1', Data: { page: '/home' } });
  });

  it('ignores template syntax in the body: it is data, never evaluated', async () => {
    const body = '{"Data": "#set($x = 1)$util.base64Encode(\\"x\\")", "PartitionKey": "$context.requestId"}';
    const result = await put('orders', body);
    expect(result.status).toBe(200);
    expect(await readBack(PHYSICAL.orders, (result.body as { SequenceNumber: string }).SequenceNumber)).toEqual({
      PartitionKey: '$context.requestId',
      Data: '#set($x = 1)$util.base64Encode("x")',
    });
  });
});

describe('PUT /{stream-name}: refused requests', () => {
  it.each([['payments'], ['sp-dev-kput-orders'], ['sp-dev-kproxy-events'], ['ORDERS'], ['orders"'], ['']])(
    'answers 404 with the served names for stream "%s", and names no stream to Kinesis',
    async (stream) => {
      const result = await put(stream, { Data: { a: 1 }, PartitionKey: 'k' });
      expect(JSON.parse(result.sent)).toEqual({ StreamName: '' });
      expect(result.kinesis.status).toBe(400);
      expect(result.status).toBe(404);
      expect(result.body).toEqual({ message: 'Unknown stream: this API serves orders, clicks', type: 'UnknownStream', requestId: expect.any(String) });
    },
  );

  it('still renders valid JSON if a body without Data or PartitionKey got past the model', async () => {
    // API Gateway's model validation answers 400 before the template runs; this shows the template
    // alone cannot be tricked into invalid JSON by missing fields.
    const result = await put('orders', {});
    const sent = JSON.parse(result.sent) as Record<string, string>;
    expect(sent).toEqual({ StreamName: PHYSICAL.orders, PartitionKey: '', Data: Buffer.from('""').toString('base64') });
  });

  it.each([
    ['ProvisionedThroughputExceededException', 429, 'Throttled', 'Rate exceeded for shard shardId-000000000000 in stream sp-dev-kput-orders under account 123456789012.'],
    ['ResourceNotFoundException', 404, 'NotFound', 'Stream sp-dev-kput-orders under account 123456789012 not found.'],
    ['KMSAccessDeniedException', 500, 'InternalError', 'User: arn:aws:sts::123456789012:assumed-role/sp-dev-kput-kinesis/x is not authorized to perform: kms:GenerateDataKey'],
    ['com.amazon.coral.validate#ValidationException', 400, 'BadRequest', "1 validation error detected: Value 'sp-dev-kput-orders' at 'streamName'"],
  ])('answers a Kinesis %s with %i and a constant message that names nothing internal', (kinesisType, status, type, message) => {
    const request = { pathParameters: { 'stream-name': 'orders' } };
    const answer = renderResponse(responseTemplateOf(PUT, '400'), JSON.stringify({ __type: kinesisType, message }), 400, request);
    expect(answer).toEqual({ status, body: { message: expect.any(String), type, requestId: expect.any(String) } });
    expect(JSON.stringify(answer.body)).not.toMatch(/123456789012|sp-dev|arn:|assumed-role|reason/);
  });

  it('answers a Kinesis 5xx with 502 and a retry hint', () => {
    expect(renderResponse(responseTemplateOf(PUT, '502'), '{"__type":"InternalFailure"}', 502)).toEqual({
      status: 502,
      body: { message: 'Kinesis could not complete the request; retry later', type: 'KinesisUnavailable', requestId: expect.any(String) },
    });
  });
});
