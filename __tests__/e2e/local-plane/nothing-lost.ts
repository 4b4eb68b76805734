import { failures, LoadOptions, runLoad } from '../../../scripts/lib/load';
import { commentsLoad, PipelineLoad, proxyLoad, putRecordLoad, webhookLoad } from '../../../scripts/lib/load-pipelines';
import { PlaneContext, PlaneSuite } from './context';

/**
 * Issue 19, item 2: nothing accepted is lost under a burst, paced or through a crash of
 * serve:local. Before the fix, moto ran the webhook's SQS mapping itself inside every SendMessage
 * (raising the receive count of queued messages), so valid submissions reached the DLQ at any
 * rate and a burst got 500s from moto's SendMessage; see MappingsRunByLocalPlane.
 */
const N = 20;
// Locally a failed message comes back after 2 s (serve:local's --sqs-retry-seconds), five times.
const ARRIVAL_MS = 45_000;
const ROUNDS: [string, LoadOptions][] = [
  ['concurrency 1', { count: N, concurrency: 1 }],
  ['concurrency 8', { count: N, concurrency: 8 }],
  ['concurrency 32', { count: N, concurrency: 32 }],
  ['paced 150 ms apart', { count: N, paceMs: 150 }],
];

export const nothingLost: PlaneSuite = (context) => {
  describe('nothing lost under a burst (issue 19)', () => {
    const run = `burst-${Date.now()}`;
    const loads: PipelineLoad[] = [];
    const track = <T extends PipelineLoad>(load: T): T => (loads.push(load), load);

    afterAll(async () => {
      for (const load of loads) await load.cleanup().catch(() => undefined);
    });

    ROUNDS.forEach(([label, options], round) => {
      it(`webhook: ${N} valid submissions at ${label} are all stored, with no 5xx`, async () => {
        const webhook = track(await webhookLoad(context().target, `${run}-w${round}`));
        const result = await runLoad(options, (i) => webhook.send(i));
        expect(failures(result)).toEqual({});
        expect(await webhook.lost(ARRIVAL_MS)).toEqual({ accepted: N, lost: 0 });
      }, 120_000);
    });

    it('webhook: poison submissions in a burst at concurrency 32 alone reach the DLQ, after maxReceiveCount', async () => {
      const webhook = track(await webhookLoad(context().target, `${run}-poison`, { poisonEvery: 10 }));
      const result = await runLoad({ count: 30, concurrency: 32 }, (i) => webhook.send(i));
      expect(failures(result)).toEqual({});
      expect(await webhook.lost(ARRIVAL_MS)).toEqual({ accepted: 27, lost: 0 });
      // Wait for the three poison ones; by then a valid message moved by the emulator would be there too.
      const dlq: string[] = [];
      const deadline = Date.now() + ARRIVAL_MS;
      while (dlq.length < 3 && Date.now() < deadline) dlq.push(...(await webhook.dlqBodies()));
      const ids = dlq.map((b) => JSON.parse(b) as { poison?: string; eventId?: string });
      expect(ids.map((b) => b.poison).sort()).toEqual(webhook.poisonSent().sort());
      // Every valid submission of every round above: none reached the DLQ.
      expect(ids.filter((b) => b.eventId !== undefined)).toEqual([]);
    }, 180_000);

    for (const [label, concurrency] of [['concurrency 8', 8], ['concurrency 32', 32]] as const) {
      it(`comments: ${N} posts at ${label} are each logged by the stream consumer`, async () => {
        const comments = track(await commentsLoad(context().target, `${run}-c${concurrency}`));
        const result = await runLoad({ count: N, concurrency }, (i) => comments.send(i));
        expect(failures(result)).toEqual({});
        expect(await comments.lost(ARRIVAL_MS)).toEqual({ accepted: N, lost: 0 });
      }, 120_000);
    }

    for (const concurrency of [1, 8, 32]) {
      it(`Kinesis PutRecord and proxy APIs: ${2 * N} puts at concurrency ${concurrency} are all in the stream, in order per partition key`, async () => {
        // One partition key per client in flight: each key's puts go one after another, as order needs.
        for (const make of [putRecordLoad, proxyLoad]) {
          const load = await make(context().target, `${run}-k${concurrency}-${make.name}`, concurrency);
          const result = await runLoad({ count: 2 * N, concurrency }, (i) => load.send(i));
          expect({ api: load.name, failures: failures(result) }).toEqual({ api: load.name, failures: {} });
          expect({ api: load.name, ...(await load.lost(ARRIVAL_MS)) }).toEqual({ api: load.name, accepted: 2 * N, lost: 0 });
        }
      }, 120_000);
    }

    it('a crash of serve:local mid-stream loses nothing accepted: webhook submissions stored once, comments logged, after a restart', async () => {
      await context().plane.stop();
      const victim = await context().startPlane();
      context().usePlane(victim);
      const crashed = await crashAfter(context, victim, run);
      const next = await context().startPlane();
      context().usePlane(next);

      // The client re-sends what got no answer, to the restarted serve:local (same eventIds: stored once).
      const webhook = track(await webhookLoad(context().target, `${run}-crash`));
      const resent = crashed.webhookUnanswered;
      const again = await runLoad({ count: resent.length, concurrency: 8 }, (i) => webhook.send(resent[i]));
      expect(failures(again)).toEqual({});
      const comments = track(await commentsLoad(context().target, `${run}-crash-after`));
      expect(failures(await runLoad({ count: 10, concurrency: 8 }, (i) => comments.send(i)))).toEqual({});

      expect(await crashed.webhook.lost(ARRIVAL_MS)).toMatchObject({ lost: 0 });
      expect(await webhook.lost(ARRIVAL_MS)).toEqual({ accepted: resent.length, lost: 0 });
      expect(await crashed.comments.lost(ARRIVAL_MS)).toMatchObject({ lost: 0 });
      expect(await comments.lost(ARRIVAL_MS)).toEqual({ accepted: 10, lost: 0 });
      expect((await crashed.webhook.dlqBodies()).filter((b) => b.includes('eventId'))).toEqual([]);
    }, 240_000);
  });
};

/**
 * Sends 20 webhook submissions and 20 comments at concurrency 4 each to `victim`, and abandons
 * it (as SIGKILL would: in-flight batches neither deleted nor checkpointed) once the tenth
 * submission was accepted. Answers the loads and the submissions that got no answer.
 */
async function crashAfter(context: () => PlaneContext, victim: { abandon(): Promise<void> }, run: string) {
  const webhook = await webhookLoad(context().target, `${run}-crash`);
  const comments = await commentsLoad(context().target, `${run}-crash-before`);
  let accepted = 0;
  let abandoned: Promise<void> | undefined;
  const [w, c] = await Promise.all([
    runLoad({ count: 20, concurrency: 4 }, async (i) => {
      const status = await webhook.send(i);
      if (status === 200 && ++accepted === 10) abandoned = victim.abandon();
      return status;
    }),
    runLoad({ count: 20, concurrency: 4 }, (i) => comments.send(i)),
  ]);
  await abandoned;
  expect(accepted).toBeGreaterThanOrEqual(10);
  const webhookUnanswered = w.outcomes.flatMap((o, i) => (o.status === 200 ? [] : [i]));
  expect(c.outcomes.length).toBe(20);
  return { webhook, comments, webhookUnanswered };
}
