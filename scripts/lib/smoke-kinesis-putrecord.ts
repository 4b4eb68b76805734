import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { call, expectStatus } from './smoke-http';
import { eventually, expectThat, SmokeRun } from './smoke-runner';
import { outputString, SmokeTarget } from './smoke-target';

export const KINESIS_PUTRECORD = 'apigw-kinesis-putrecord';

/** PutRecord contract (README "Kinesis PutRecord API"): API key, PUT /{stream}, the record readable from the stream. */
export async function smokeKinesisPutRecord(run: SmokeRun, target: SmokeTarget): Promise<void> {
  const p = KINESIS_PUTRECORD;
  const outputs = await run.step(p, 'read stack outputs', () => target.outputs(p));
  if (!outputs) return;
  const api = outputString(outputs, 'api_url', p);
  const key = outputString(outputs, 'api_key_value', p);
  const streams = (outputs.streams ?? {}) as Record<string, string>;
  const [short, physical] = Object.entries(streams)[0] ?? ['orders', undefined];
  const headers = { 'content-type': 'application/json', 'x-api-key': key };
  const marker = `smoke-${Date.now()}`;

  const put = await run.step(p, `PUT /${short} → 200`, async () => {
    const r = await call(`${api}/${short}`, { method: 'PUT', headers, body: JSON.stringify({ Data: { marker, items: [1, 2] }, PartitionKey: marker }) });
    expectStatus(r, 200);
    return r.json() as { ShardId: string; SequenceNumber: string };
  });
  if (put) {
    await run.step(p, 'the record can be read from the stream', async () => {
      expectThat(physical !== undefined, `stack ${p} has no "streams" output naming the physical stream`);
      const kinesis = new KinesisClient(target.clientConfig);
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName: physical, ShardId: put.ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber }),
      );
      await eventually('the record', 10_000, async () => {
        const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10 }));
        const data = (Records ?? []).map((r) => JSON.parse(Buffer.from(r.Data ?? new Uint8Array()).toString('utf8')) as { marker?: string });
        return data.some((d) => d.marker === marker) ? true : undefined;
      });
    });
  }
  await run.step(p, 'PUT an unserved stream → 404', async () => {
    expectStatus(await call(`${api}/payments`, { method: 'PUT', headers, body: '{"Data":1,"PartitionKey":"k"}' }), 404);
  });
  await run.step(p, 'PUT without an API key → 403', async () => {
    expectStatus(await call(`${api}/${short}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"Data":1,"PartitionKey":"k"}' }), 403);
  });
  await run.step(p, 'PUT without PartitionKey → 400', async () => {
    expectStatus(await call(`${api}/${short}`, { method: 'PUT', headers, body: '{"Data":1}' }), 400);
  });
  await run.step(p, 'PUT as text/plain → 415', async () => {
    expectStatus(await call(`${api}/${short}`, { method: 'PUT', headers: { ...headers, 'content-type': 'text/plain' }, body: 'x' }), 415);
  });
  await run.step(p, `GET /${short} → 404`, async () => {
    expectStatus(await call(`${api}/${short}`, { headers: { 'x-api-key': key } }), 404);
  });
}
