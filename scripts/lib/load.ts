/**
 * A load generator for the local data plane: `count` requests, at most `concurrency` in flight
 * (or one every `paceMs`), each timed. Shared by `bench:local`'s load phase and the e2e suite that
 * checks nothing is lost under a burst. fetch keeps connections alive, as a busy client does.
 */
export interface Outcome {
  /** HTTP status, or 0 when the request got no answer (connection refused or reset). */
  readonly status: number;
  readonly ms: number;
}

export interface LoadRun {
  /** Outcomes in request order (index i is request i). */
  readonly outcomes: readonly Outcome[];
  readonly wallMs: number;
}

export interface LoadOptions {
  readonly count: number;
  /** Requests in flight at once. @default 1 */
  readonly concurrency?: number;
  /** Start one request every this many ms instead (each waits for nothing else). */
  readonly paceMs?: number;
}

export async function runLoad(options: LoadOptions, request: (index: number) => Promise<number>): Promise<LoadRun> {
  const outcomes: Outcome[] = new Array(options.count);
  const once = async (i: number) => {
    const t = process.hrtime.bigint();
    let status = 0;
    try {
      status = await request(i);
    } catch {
      status = 0;
    }
    outcomes[i] = { status, ms: Number(process.hrtime.bigint() - t) / 1e6 };
  };
  const started = process.hrtime.bigint();
  if (options.paceMs !== undefined) {
    const all: Promise<void>[] = [];
    for (let i = 0; i < options.count; i++) {
      all.push(once(i));
      if (i < options.count - 1) await new Promise((r) => setTimeout(r, options.paceMs));
    }
    await Promise.all(all);
  } else {
    let next = 0;
    const worker = async () => {
      while (next < options.count) await once(next++);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, options.count)) }, worker));
  }
  return { outcomes, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Requests per second over the run's wall clock. */
export function throughput(run: LoadRun): number {
  return run.outcomes.length / (run.wallMs / 1000);
}

/** The q-quantile (0..1) of the latencies, nearest rank. */
export function latencyQuantile(run: LoadRun, q: number): number {
  const sorted = run.outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Statuses that are not 2xx, counted by status ("0" is no answer). */
export function failures(run: LoadRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of run.outcomes) if (o.status < 200 || o.status >= 300) counts[String(o.status)] = (counts[String(o.status)] ?? 0) + 1;
  return counts;
}

/** min / median / max of a few runs' figures. */
export function spread(values: readonly number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return { min: sorted[0], median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, max: sorted[sorted.length - 1] };
}
