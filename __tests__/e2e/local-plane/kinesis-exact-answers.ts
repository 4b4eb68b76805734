import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { call } from '../../../scripts/lib/smoke-http';
import { outputString } from '../../../scripts/lib/smoke-target';
import { PlaneContext, PlaneSuite } from './context';

/**
 * Beyond the README rows: hostile GET …/sharditerator parameters get the documented 400 (the
 * response template re-runs the request checks with $input.params, which reads the method request
 * in a response template too), and numbers in `Data` reach Kinesis exactly as sent.
 */
const ITERATOR_TYPE = 'iterator-type must be one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER (default TRIM_HORIZON)';
const SEQUENCE_NUMBER = 'sequence-number (digits) is required with iterator-type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER';
const SHARD_ID = 'shard-id must be a shard id such as shardId-000000000000';
// Each number a double cannot carry: a big integer, a long decimal, negative zero, a trailing zero.
const EXACT_DATA = '{"big":12345678901234567890,"dec":0.1000000000000000000000001,"neg0":-0,"one":1.0,"list":[-98765432109876543210]}';

export const kinesisExactAnswersSuite: PlaneSuite = (context) => {
  describe('Kinesis APIs: exact answers for hostile parameters, exact numbers stored', () => {
    const proxy = async (ctx: PlaneContext) => {
      const outputs = await ctx.target.outputs('apigw-kinesis-proxy');
      return { api: outputString(outputs, 'api_url', 'apigw-kinesis-proxy'), sign: { credentials: await ctx.target.credentials(), region: ctx.target.region } };
    };

    it.each([
      ['iterator-type=SIDEWAYS', ITERATOR_TYPE],
      ['iterator-type=latest', ITERATOR_TYPE],
      ['iterator-type=AT_TIMESTAMP', ITERATOR_TYPE],
      ['iterator-type=AT_SEQUENCE_NUMBER', SEQUENCE_NUMBER],
      ['iterator-type=AFTER_SEQUENCE_NUMBER&sequence-number=12ab', SEQUENCE_NUMBER],
      [`shard-id=${encodeURIComponent('shard"Id\\-0')}`, SHARD_ID],
      [`shard-id=${encodeURIComponent("$context.requestId#set($x = 1)'")}`, SHARD_ID],
      [`shard-id=${'a'.repeat(3000)}`, SHARD_ID],
    ])('GET /streams/events/sharditerator?%s → 400 with the named reason', async (query, message) => {
      const { api, sign } = await proxy(context());
      const withShard = query.startsWith('shard-id=') ? query : `shard-id=shardId-000000000000&${query}`;
      const r = await call(`${api}/streams/events/sharditerator?${withShard}`, { sign });
      expect({ status: r.status, body: r.json() }).toEqual({ status: 400, body: { message, type: 'InvalidParameter', requestId: expect.any(String) } });
    }, 60_000);

    it('PUT /orders stores Data with every number exactly as sent', async () => {
      const { target } = context();
      const outputs = await target.outputs('apigw-kinesis-putrecord');
      const api = outputString(outputs, 'api_url', 'apigw-kinesis-putrecord');
      const streams = outputs.streams as Record<string, string>;
      const r = await call(`${api}/orders`, {
        method: 'PUT',
        headers: { 'x-api-key': outputString(outputs, 'api_key_value', 'apigw-kinesis-putrecord'), 'content-type': 'application/json' },
        body: `{"Data":${EXACT_DATA},"PartitionKey":"exact-numbers"}`,
      });
      expect(r.status).toBe(200);
      const { ShardId, SequenceNumber } = r.json() as { ShardId: string; SequenceNumber: string };
      const kinesis = new KinesisClient(target.clientConfig);
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName: streams.orders, ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: SequenceNumber }),
      );
      const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
      expect(Buffer.from(Records[0].Data!).toString('utf8')).toBe(EXACT_DATA);
    }, 60_000);

    it('PUT /streams/events/record stores Data exactly; GET …/records returns it', async () => {
      const { api, sign } = await proxy(context());
      const put = await call(`${api}/streams/events/record`, { method: 'PUT', sign, headers: { 'content-type': 'application/json' }, body: `{"Data":${EXACT_DATA},"PartitionKey":"exact-numbers"}` });
      expect(put.status).toBe(200);
      const { ShardId, SequenceNumber } = put.json() as { ShardId: string; SequenceNumber: string };
      const iterator = await call(`${api}/streams/events/sharditerator?shard-id=${ShardId}&iterator-type=AT_SEQUENCE_NUMBER&sequence-number=${SequenceNumber}`, { sign });
      expect(iterator.status).toBe(200);
      const records = await call(`${api}/streams/events/records`, { sign, headers: { 'shard-iterator': iterator.json().ShardIterator } });
      expect(records.status).toBe(200);
      const first = (records.json().Records as { Data: string }[])[0];
      expect(Buffer.from(first.Data, 'base64').toString('utf8')).toBe(EXACT_DATA);
    }, 60_000);
  });
};
