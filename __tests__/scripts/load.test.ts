import { failures, latencyQuantile, LoadRun, runLoad, spread } from '../../scripts/lib/load';

describe('the load generator of bench:local and the nothing-lost suite', () => {
  it('keeps at most `concurrency` requests in flight and records each outcome at its index', async () => {
    let inFlight = 0;
    let most = 0;
    const run = await runLoad({ count: 20, concurrency: 8 }, async (i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return 200 + i;
    });
    expect(most).toBe(8);
    expect(run.outcomes.map((o) => o.status)).toEqual(Array.from({ length: 20 }, (_, i) => 200 + i));
  });

  it('counts a request that throws (no answer) as status 0, and reports every non-2xx by status', async () => {
    const run = await runLoad({ count: 4, concurrency: 2 }, async (i) => {
      if (i === 1) throw new Error('socket hang up');
      return i === 2 ? 500 : 200;
    });
    expect(failures(run)).toEqual({ '0': 1, '500': 1 });
  });

  it('sends every request when paced', async () => {
    const seen: number[] = [];
    await runLoad({ count: 3, paceMs: 1 }, async (i) => (seen.push(i), 200));
    expect(seen).toEqual([0, 1, 2]);
  });

  it('takes quantiles by nearest rank and spreads as min/median/max', () => {
    const run: LoadRun = { wallMs: 1, outcomes: [5, 1, 4, 2, 3].map((ms) => ({ status: 200, ms })) };
    expect([latencyQuantile(run, 0.5), latencyQuantile(run, 0.99), latencyQuantile(run, 0)]).toEqual([3, 5, 1]);
    expect(spread([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(spread([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4 });
  });
});
