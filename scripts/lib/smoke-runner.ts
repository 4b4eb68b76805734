/**
 * Runs smoke steps: one line per step (pipeline, step, PASS/FAIL/SKIP, milliseconds, detail),
 * then a summary; cleanups registered along the way run at the end whatever happened.
 */
export interface StepResult {
  readonly pipeline: string;
  readonly step: string;
  readonly status: 'PASS' | 'FAIL' | 'SKIP';
  readonly ms: number;
  readonly detail: string;
}

export class SkipStep extends Error {}

export class SmokeRun {
  readonly results: StepResult[] = [];
  private readonly cleanups: { what: string; run: () => Promise<unknown> }[] = [];

  constructor(private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  /** Runs one step; resolves with its value, or undefined when it failed or was skipped (later steps that need it skip). */
  async step<T>(pipeline: string, step: string, work: () => Promise<T>): Promise<T | undefined> {
    const started = Date.now();
    let status: StepResult['status'] = 'PASS';
    let detail = '';
    let value: T | undefined;
    try {
      value = await work();
      if (typeof value === 'string') detail = value;
    } catch (error) {
      status = error instanceof SkipStep ? 'SKIP' : 'FAIL';
      detail = (error as Error).message;
    }
    const result = { pipeline, step, status, ms: Date.now() - started, detail };
    this.results.push(result);
    this.print(`${status.padEnd(4)} ${String(result.ms).padStart(6)} ms  ${pipeline}: ${step}${detail ? ` — ${detail}` : ''}`);
    return status === 'PASS' ? value : undefined;
  }

  onCleanup(what: string, run: () => Promise<unknown>): void {
    this.cleanups.push({ what, run });
  }

  /** Runs the cleanups (last registered first), prints the summary, returns the exit code. */
  async finish(startedAt: number): Promise<number> {
    for (const cleanup of [...this.cleanups].reverse()) {
      try {
        await cleanup.run();
      } catch (error) {
        this.print(`WARN cleanup "${cleanup.what}" failed: ${(error as Error).message}`);
      }
    }
    const count = (s: StepResult['status']) => this.results.filter((r) => r.status === s).length;
    const failed = this.results.filter((r) => r.status === 'FAIL');
    this.print(`\nsmoke: ${count('PASS')} passed, ${count('FAIL')} failed, ${count('SKIP')} skipped in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    for (const f of failed) this.print(`  FAILED ${f.pipeline}: ${f.step} — ${f.detail}`);
    return failed.length > 0 ? 1 : 0;
  }
}

/** Throws a step failure naming what was expected and what came back (never headers: they may carry credentials). */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000; i++) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
}
