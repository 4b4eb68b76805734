import { call, expectStatus } from './smoke-http';
import { eventually, expectThat, SmokeRun } from './smoke-runner';
import { outputString, SmokeTarget } from './smoke-target';

export const KINESIS_PROXY = 'apigw-kinesis-proxy';

/** Kinesis proxy contract (README "Kinesis proxy API"): SigV4 on every route; put, iterator, get records round trip. */
export async function smokeKinesisProxy(run: SmokeRun, target: SmokeTarget): Promise<void> {
  const p = KINESIS_PROXY;
  const outputs = await run.step(p, 'read stack outputs', () => target.outputs(p));
  if (!outputs) return;
  const api = outputString(outputs, 'api_url', p);
  const sign = { credentials: await target.credentials(), region: target.region };
  const stream = Object.keys((outputs.streams ?? { events: '' }) as Record<string, string>)[0] ?? 'events';
  const marker = `smoke-${Date.now()}`;

  await run.step(p, 'GET /streams (signed) → 200 listing the served stream', async () => {
    const r = await call(`${api}/streams`, { sign });
    expectStatus(r, 200);
    expectThat((r.json().StreamNames as string[]).includes(stream), `StreamNames ${r.text}`);
  });
  const put = await run.step(p, `PUT /streams/${stream}/record → 200`, async () => {
    const r = await call(`${api}/streams/${stream}/record`, { method: 'PUT', sign, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Data: { marker }, PartitionKey: marker }) });
    expectStatus(r, 200);
    return r.json() as { ShardId: string; SequenceNumber: string };
  });
  if (put) {
    const iterator = await run.step(p, 'GET …/sharditerator (AT_SEQUENCE_NUMBER) → 200', async () => {
      const r = await call(`${api}/streams/${stream}/sharditerator?shard-id=${put.ShardId}&iterator-type=AT_SEQUENCE_NUMBER&sequence-number=${put.SequenceNumber}`, { sign });
      expectStatus(r, 200);
      return (r.json().ShardIterator as string).trim();
    });
    if (iterator) {
      await run.step(p, 'GET …/records → the record put above', async () => {
        await eventually('the record', 10_000, async () => {
          const r = await call(`${api}/streams/${stream}/records`, { sign, headers: { 'shard-iterator': iterator } });
          expectStatus(r, 200);
          const records = r.json().Records as { Data: string }[];
          return records.some((rec) => Buffer.from(rec.Data, 'base64').toString('utf8').includes(marker)) ? true : undefined;
        });
      });
    }
  }
  await run.step(p, 'GET /streams unsigned → 403', async () => {
    expectStatus(await call(`${api}/streams`), 403);
  });
  await run.step(p, 'PUT /streams/nope/record → 404 unknown stream', async () => {
    expectStatus(await call(`${api}/streams/nope/record`, { method: 'PUT', sign, headers: { 'content-type': 'application/json' }, body: '{"Data":1,"PartitionKey":"k"}' }), 404);
  });
  await run.step(p, 'GET …/sharditerator without shard-id → 400', async () => {
    expectStatus(await call(`${api}/streams/${stream}/sharditerator`, { sign }), 400);
  });
  await run.step(p, 'PUT …/record without PartitionKey → 400', async () => {
    expectStatus(await call(`${api}/streams/${stream}/record`, { method: 'PUT', sign, headers: { 'content-type': 'application/json' }, body: '{"Data":1}' }), 400);
  });
  await run.step(p, 'PUT …/record as text/plain → 415', async () => {
    expectStatus(await call(`${api}/streams/${stream}/record`, { method: 'PUT', sign, headers: { 'content-type': 'text/plain' }, body: 'x' }), 415);
  });
}
