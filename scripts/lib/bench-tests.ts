import { median } from './bench';

/** A tier's figures over several runs: what `npm run bench:tests` prints. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no runs to summarize');
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** `41.2 / 43.0 / 47.9 s` (min / median / max, seconds from milliseconds). */
export function formatSpread(ms: readonly number[]): string {
  const s = spread(ms);
  return [s.min, s.median, s.max].map((v) => (v / 1000).toFixed(1)).join(' / ') + ' s';
}

/** The environment that gives a run its own caches: empty folders make it cold, reusing them makes it warm. */
export function cacheEnv(scratch: string): Record<string, string> {
  return {
    PIPELINES_BUNDLE_DIR: `${scratch}/bundles`,
    PIPELINES_BUNDLE_CACHE_DIR: `${scratch}/bundle-cache`,
    PIPELINES_TEST_SYNTHESIS_CACHE_DIR: `${scratch}/synthesis`,
  };
}

/** `--runs N` (at least 3, so that a median means something) and `--tiers a,b`. */
export function readBenchArgs(argv: readonly string[]): { runs: number; tiers: string[]; dir?: string } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(value('--runs') ?? 3);
  if (!Number.isInteger(runs) || runs < 3) throw new Error(`--runs must be a whole number of at least 3, got ${value('--runs')}`);
  const tiers = (value('--tiers') ?? 'unit,terraform').split(',').filter(Boolean);
  const unknown = tiers.filter((t) => !['unit', 'terraform'].includes(t));
  if (unknown.length > 0) throw new Error(`--tiers takes unit and/or terraform, got ${unknown.join(', ')}`);
  return { runs, tiers, dir: value('--dir') };
}
