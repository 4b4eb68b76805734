import { KINESIS_CLIENT_ERRORS } from '../../lib/constructs/kinesis-rest-proxy/templates';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { AWKWARD_RECORDS, GatewayExchange, renderResponse, throughApiGateway, useEmulatorStreams } from '../support/kinesis';
import { requestTemplateOf, responseTemplateOf, routesOf } from '../support/routes';
import { Moto } from '../support/moto';
import { appStack } from '../support/synth';
import { renderRequestTemplate, VtlRequest } from '../../local/vtl/renderer';

/**
 * Every mapping template of the Kinesis proxy, rendered from the synthesized stack with the VTL
 * renderer and sent, byte for byte, to the emulator's Kinesis API; the response templates then
 * render what the emulator answered. Together: what a client of the deployed API gets.
 */

const tf = appStack('apigw-kinesis-proxy', { PIPELINES_PROXY_STREAMS: 'events,audit' });
const routes = routesOf(tf);
const LIST = routes['GET /streams'];
const ITERATOR = routes['GET /streams/{stream-name}/sharditerator'];
const PUT = routes['PUT /streams/{stream-name}/record'];
const RECORDS = routes['GET /streams/{stream-name}/records'];
const EVENTS = 'sp-dev-kproxy-events';
const AUDIT = 'sp-dev-kproxy-audit';
const SHARD = 'shardId-000000000000';
const UNKNOWN_STREAM = { message: 'Unknown stream: this API serves events, audit', type: 'UnknownStream', requestId: expect.any(String) };

let moto: Moto;
let kinesis: KinesisClient;

const suite = useEmulatorStreams([EVENTS, AUDIT, 'someone-elses-stream']);
beforeAll(() => ({ moto, kinesis } = suite()));

const call = (route: typeof PUT, request: VtlRequest): Promise<GatewayExchange> => throughApiGateway(route, moto.endpoint, request);
const put = (stream: string, record: unknown) => call(PUT, { pathParameters: { 'stream-name': stream }, body: JSON.stringify(record) });
const iterator = (stream: string, query: Record<string, string> = {}) =>
  call(ITERATOR, { pathParameters: { 'stream-name': stream }, queryStringParameters: { 'shard-id': SHARD, ...query } });
// moto's iterators are base64 with MIME line breaks, which no HTTP header can carry; a client
// copying one into the header drops them (AWS's own iterators have none).
const asHeader = (shardIterator: unknown) => String(shardIterator).replace(/\s/g, '');
const records = (stream: string, shardIterator: unknown) =>
  call(RECORDS, { pathParameters: { 'stream-name': stream }, headers: { 'Shard-Iterator': asHeader(shardIterator) } });
const decode = (data: unknown) => JSON.parse(Buffer.from(String(data), 'base64').toString('utf8')) as unknown;

describe('GET /streams (MOCK: the configured list)', () => {
  it('answers the served streams by the names clients use, with no call to Kinesis', () => {
    // A MOCK integration: the request template picks the integration response by statusCode.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
    expect(JSON.parse(renderRequestTemplate(requestTemplateOf(LIST), {}))).toEqual({ statusCode: 200 });
    expect(renderResponse(responseTemplateOf(LIST, '200'), '', 200)).toEqual({ status: 200, body: { StreamNames: ['events', 'audit'] } });
  });
});

describe('PUT /streams/{stream-name}/record (PutRecord)', () => {
  it.each(AWKWARD_RECORDS.map((r) => [r.name, r] as const))('stores %s exactly as sent', async (_name, record) => {
    const result = await put('events', { Data: record.Data, PartitionKey: record.PartitionKey });
    const sent = JSON.parse(result.sent) as { StreamName: string; PartitionKey: string; Data: string };
    expect(sent).toEqual({ StreamName: EVENTS, PartitionKey: record.PartitionKey, Data: expect.any(String) });
    expect(decode(sent.Data)).toEqual(record.Data);

    expect(result.status).toBe(200);
    const answer = result.body as { SequenceNumber: string; ShardId: string };
    expect(answer).toEqual({ SequenceNumber: expect.stringMatching(/^\d+$/), ShardId: SHARD });

    // Read it back with the SDK, independently of the templates.
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: EVENTS, ShardId: SHARD, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: answer.SequenceNumber }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    expect(Records?.[0].PartitionKey).toBe(record.PartitionKey);
    expect(JSON.parse(Buffer.from(Records?.[0].Data ?? []).toString('utf8'))).toEqual(record.Data);
  });

  it('writes to the stream the path names', async () => {
    const result = await put('audit', { Data: { who: 'me' }, PartitionKey: 'a' });
    expect(JSON.parse(result.sent).StreamName).toBe(AUDIT);
    expect(result.status).toBe(200);
  });

  it.each([['nope'], [EVENTS], ['Events'], ['a"b'], ["x'y"], ['']])('answers 404 for stream "%s", which it does not serve, naming none in the call', async (stream) => {
    const result = await put(stream, { Data: 1, PartitionKey: 'k' });
    expect(JSON.parse(result.sent)).toEqual({ StreamName: '' });
    expect(result.kinesis.status).toBe(400);
    expect(result).toMatchObject({ status: 404, body: UNKNOWN_STREAM });
  });
});

describe('GET /streams/{stream-name}/sharditerator (GetShardIterator)', () => {
  it('defaults to TRIM_HORIZON and returns an iterator that reads from the start', async () => {
    await put('audit', { Data: 'first', PartitionKey: 'p' });
    const result = await iterator('audit');
    expect(JSON.parse(result.sent)).toEqual({ StreamName: AUDIT, ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' });
    expect(result).toMatchObject({ status: 200, body: { ShardIterator: expect.any(String) } });
  });

  it.each([['LATEST'], ['TRIM_HORIZON']])('accepts iterator-type=%s', async (type) => {
    const result = await iterator('events', { 'iterator-type': type });
    expect(JSON.parse(result.sent)).toMatchObject({ ShardIteratorType: type });
    expect(result.status).toBe(200);
  });

  it.each([['AT_SEQUENCE_NUMBER', 0], ['AFTER_SEQUENCE_NUMBER', 1]])('reads from a sequence number with %s', async (type, skipped) => {
    const first = await put('events', { Data: { n: 1 }, PartitionKey: 'seq' });
    const second = await put('events', { Data: { n: 2 }, PartitionKey: 'seq' });
    const at = (first.body as { SequenceNumber: string }).SequenceNumber;
    const result = await iterator('events', { 'iterator-type': type, 'sequence-number': at });
    expect(JSON.parse(result.sent)).toEqual({ StreamName: EVENTS, ShardId: SHARD, ShardIteratorType: type, StartingSequenceNumber: at });
    const read = await records('events', (result.body as { ShardIterator: string }).ShardIterator);
    const got = (read.body as { Records: { SequenceNumber: string }[] }).Records.map((r) => r.SequenceNumber);
    expect(got.slice(0, 2 - skipped)).toEqual(
      [at, (second.body as { SequenceNumber: string }).SequenceNumber].slice(skipped),
    );
  });

  it.each([
    [{ 'iterator-type': 'SIDEWAYS' }, 'iterator-type must be one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER (default TRIM_HORIZON)'],
    [{ 'iterator-type': 'trim_horizon' }, 'iterator-type must be one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER (default TRIM_HORIZON)'],
    [{ 'iterator-type': 'AT_SEQUENCE_NUMBER' }, 'sequence-number (digits) is required with iterator-type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER'],
    [{ 'iterator-type': 'AFTER_SEQUENCE_NUMBER', 'sequence-number': '12"3' }, 'sequence-number (digits) is required with iterator-type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER'],
    [{ 'shard-id': 'shard"0\'' }, 'shard-id must be a shard id such as shardId-000000000000'],
    [{ 'shard-id': '' }, 'shard-id must be a shard id such as shardId-000000000000'],
  ])('answers 400 for %j without naming a stream to Kinesis', async (query, message) => {
    const result = await iterator('events', query);
    expect(JSON.parse(result.sent)).toEqual({ StreamName: '' });
    expect(result).toMatchObject({ status: 400, body: { message, type: 'InvalidParameter', requestId: expect.any(String) } });
  });

  it('answers 404 for an unknown stream before judging the parameters', async () => {
    const result = await iterator('nope', { 'iterator-type': 'SIDEWAYS' });
    expect(result).toMatchObject({ status: 404, body: UNKNOWN_STREAM });
  });

  it('answers 404 for a shard the stream does not have, without repeating Kinesis (it names the stream and account)', async () => {
    const result = await call(ITERATOR, { pathParameters: { 'stream-name': 'events' }, queryStringParameters: { 'shard-id': 'shardId-000000000009' } });
    expect(result.kinesis.status).toBe(400);
    expect(result.kinesis.body).toContain('under account');
    expect(result).toMatchObject({ status: 404, body: { message: 'The stream or shard does not exist', type: 'NotFound' } });
    expect(JSON.stringify(result.body)).not.toMatch(/sp-dev|\d{12}|arn:/);
  });
});

describe('GET /streams/{stream-name}/records (GetRecords)', () => {
  it('returns what PUT stored, Data base64-encoded as Kinesis returns it', async () => {
    const { body } = await iterator('events', { 'iterator-type': 'LATEST' });
    const written = await Promise.all(AWKWARD_RECORDS.slice(0, 4).map((r) => put('events', { Data: r.Data, PartitionKey: r.PartitionKey })));
    expect(written.every((w) => w.status === 200)).toBe(true);

    const result = await records('events', (body as { ShardIterator: string }).ShardIterator);
    expect(JSON.parse(result.sent)).toEqual({
      ShardIterator: asHeader((body as { ShardIterator: string }).ShardIterator),
      StreamARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${EVENTS}`,
      Limit: 100,
    });
    expect(result.status).toBe(200);
    const answer = result.body as { Records: { Data: string; PartitionKey: string; SequenceNumber: string }[]; NextShardIterator: string; MillisBehindLatest: number };
    expect(answer.NextShardIterator).toEqual(expect.any(String));
    expect(answer.MillisBehindLatest).toEqual(expect.any(Number));
    const byKey = new Map(answer.Records.map((r) => [r.PartitionKey, decode(r.Data)]));
    for (const r of AWKWARD_RECORDS.slice(0, 4)) expect(byKey.get(r.PartitionKey)).toEqual(r.Data);
  });

  it('answers 400 for a header that is no shard iterator, naming no stream to Kinesis', () => {
    // Sent to Kinesis, the empty iterator is refused with 400 ValidationException (moto 5.2.1 crashes
    // with 500 on it instead, so this one is rendered against Kinesis's real reply, not moto's).
    const refusal = JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: "Value '' at 'shardIterator' failed to satisfy constraint" });
    for (const header of ['not an iterator', 'abc"def', "abc'def", 'x'.repeat(513), '']) {
      const request = { pathParameters: { 'stream-name': 'events' }, headers: { 'Shard-Iterator': header } };
      expect(JSON.parse(renderRequestTemplate(requestTemplateOf(RECORDS), request))).toEqual({ ShardIterator: '' });
      expect(renderResponse(responseTemplateOf(RECORDS, '400'), refusal, 400, request)).toEqual({
        status: 400,
        body: {
          message: 'The Shard-Iterator header must hold a shard iterator from GET /streams/{stream-name}/sharditerator',
          type: 'InvalidParameter',
          requestId: expect.any(String),
        },
      });
    }
  });

  it('answers 404 for an iterator into a shard that does not exist', async () => {
    const ghost = Buffer.from(`${EVENTS}:shardId-000000000009:0`).toString('base64');
    const result = await records('events', ghost);
    expect(result.kinesis.status).toBe(400);
    expect(result).toMatchObject({ status: 404, body: { type: 'NotFound', message: 'The stream or shard does not exist' } });
    expect(JSON.stringify(result.body)).not.toMatch(/sp-dev|\d{12}|arn:/);
  });

  it('never sends a stream name it does not serve', () => {
    const sent = renderRequestTemplate(requestTemplateOf(RECORDS), { pathParameters: { 'stream-name': 'nope' }, headers: { 'Shard-Iterator': 'AAAA' } });
    expect(JSON.parse(sent)).toEqual({ ShardIterator: '' });
  });
});

describe('error responses (rendered against Kinesis error bodies)', () => {
  // Kinesis answers every client error with HTTP 400 and {"__type", "message"}; these are its real shapes.
  const kinesisError = (type: string, message: string) => JSON.stringify({ __type: type, message });
  const events = { pathParameters: { 'stream-name': 'events' }, headers: { 'Shard-Iterator': 'AAAA' }, queryStringParameters: { 'shard-id': SHARD } };

  // Kinesis's real message shapes: they carry the account id, the physical stream name and the
  // caller's role ARN, so no response may repeat them (sources: AWS SDK/KCL issue reports of these
  // exact texts; moto's kinesis/exceptions.py for ResourceNotFound).
  it.each([
    [
      'ExpiredIteratorException',
      400,
      'ExpiredIterator',
      'Iterator expired. The iterator was created at time Wed Mar 04 01:02:40 UTC 2020 while right now it is Wed Mar 04 01:10:30 UTC 2020 which is further in the future than the tolerated delay of 300000 milliseconds.',
    ],
    ['InvalidArgumentException', 400, 'InvalidArgument', 'Invalid ShardIterator for stream sp-dev-kproxy-events under account 123456789012.'],
    ['com.amazon.coral.validate#ValidationException', 400, 'BadRequest', "1 validation error detected: Value '' at 'shardIterator' failed to satisfy constraint"],
    ['ResourceNotFoundException', 404, 'NotFound', 'Stream sp-dev-kproxy-events under account 123456789012 not found.'],
    ['ProvisionedThroughputExceededException', 429, 'Throttled', 'Rate exceeded for shard shardId-000000000000 in stream sp-dev-kproxy-events under account 123456789012.'],
    ['ProvisionedThroughputExceededException', 429, 'Throttled', 'Rate exceeded for Shard - 123456789012/sp-dev-kproxy-events/shardId-000000000000'],
    ['KMSThrottlingException', 429, 'Throttled', 'Rate exceeded for key arn:aws:kms:us-east-1:123456789012:key/1234abcd'],
    [
      'AccessDeniedException',
      500,
      'InternalError',
      'User: arn:aws:sts::123456789012:assumed-role/sp-dev-kproxy-kinesis/BackplaneAssumeRoleSession is not authorized to perform: kinesis:GetRecords on resource: arn:aws:kinesis:us-east-1:123456789012:stream/sp-dev-kproxy-events because no identity-based policy allows the kinesis:GetRecords action',
    ],
  ])('maps %s to %i with a constant message of ours, never Kinesis\'s', (kinesisType, status, type, message) => {
    const expected = { status, body: { message: KINESIS_CLIENT_ERRORS.find((e) => e.type === type)?.message ?? 'Kinesis rejected the request', type, requestId: expect.any(String) } };
    for (const route of [ITERATOR, PUT, RECORDS]) {
      const answer = renderResponse(responseTemplateOf(route, '400'), kinesisError(kinesisType, message), 400, events);
      expect(answer).toEqual(expected);
      expect(JSON.stringify(answer.body)).not.toMatch(/123456789012|sp-dev|arn:|assumed-role/);
    }
  });

  // The SDKs strip a `namespace#` prefix and a `:url` suffix before comparing error types; so do we.
  it.each([
    ['com.amazonaws.kinesis.v20131202#ProvisionedThroughputExceededException', 429, 'Throttled'],
    ['ProvisionedThroughputExceededException:http://internal.amazon.com/coral/com.amazonaws.kinesis/', 429, 'Throttled'],
    ['com.amazonaws.kinesis.v20131202#ResourceNotFoundException:http://internal.amazon.com/coral/', 404, 'NotFound'],
    ['com.amazon.coral.service#AccessDeniedException', 500, 'InternalError'],
    ['aws.protocoltests#SomethingNew', 400, 'BadRequest'],
  ])('maps the qualified type %s like the bare one (%i)', (kinesisType, status, type) => {
    for (const route of [ITERATOR, PUT, RECORDS]) {
      expect(renderResponse(responseTemplateOf(route, '400'), kinesisError(kinesisType, 'm'), 400, events)).toEqual({
        status,
        body: { message: expect.any(String), type, requestId: expect.any(String) },
      });
    }
  });

  it('answers a 400 without a recognisable body generically, never as success', () => {
    expect(renderResponse(responseTemplateOf(PUT, '400'), '{}', 400, events)).toEqual({
      status: 400,
      body: { message: 'Kinesis rejected the request', type: 'BadRequest', requestId: expect.any(String) },
    });
  });

  it('turns the refusal of an unserved stream into its 404, whatever Kinesis said', () => {
    const refusal = kinesisError('com.amazon.coral.validate#ValidationException', "Value '' at 'shardIterator' failed to satisfy constraint");
    for (const route of [ITERATOR, PUT, RECORDS]) {
      expect(renderResponse(responseTemplateOf(route, '400'), refusal, 400, { ...events, pathParameters: { 'stream-name': 'nope' } })).toEqual({
        status: 404,
        body: UNKNOWN_STREAM,
      });
    }
  });

  it('answers Kinesis 5xx with 502 and no internals', () => {
    for (const route of [ITERATOR, PUT, RECORDS]) {
      expect(renderResponse(responseTemplateOf(route, '502'), '{"__type":"InternalFailure","message":"internal host xyz"}', 502)).toEqual({
        status: 502,
        body: { message: 'Kinesis could not complete the request; retry later', type: 'KinesisUnavailable', requestId: expect.any(String) },
      });
    }
  });
});
