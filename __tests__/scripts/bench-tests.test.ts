import { cacheEnv, formatSpread, readBenchArgs, spread } from '../../scripts/lib/bench-tests';

describe('bench:tests helpers', () => {
  it('summarizes runs as min, median and max, printed in seconds', () => {
    expect(spread([3000, 1000, 2000, 10000])).toEqual({ min: 1000, median: 2500, max: 10000 });
    expect(formatSpread([41_200, 47_900, 43_000])).toBe('41.2 / 43.0 / 47.9 s');
    expect(() => spread([])).toThrow(/no runs/);
  });

  it('points every cache a run uses into its own folder, so an empty folder is a cold run', () => {
    expect(Object.values(cacheEnv('/scratch/a')).every((v) => v.startsWith('/scratch/a/'))).toBe(true);
    expect(Object.keys(cacheEnv('/s')).sort()).toEqual(['PIPELINES_BUNDLE_CACHE_DIR', 'PIPELINES_BUNDLE_DIR', 'PIPELINES_TEST_SYNTHESIS_CACHE_DIR']);
  });

  it('takes at least three runs and only the tiers it can time', () => {
    expect(readBenchArgs([])).toEqual({ runs: 3, tiers: ['unit', 'terraform'], dir: undefined });
    expect(readBenchArgs(['--runs', '5', '--tiers', 'unit', '--dir', '/tmp/main'])).toEqual({ runs: 5, tiers: ['unit'], dir: '/tmp/main' });
    expect(() => readBenchArgs(['--runs', '2'])).toThrow(/at least 3/);
    expect(() => readBenchArgs(['--tiers', 'e2e'])).toThrow(/unit and\/or terraform/);
  });
});
