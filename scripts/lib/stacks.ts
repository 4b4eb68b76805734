import * as fs from 'fs';
import * as path from 'path';
import { SynthesizedStack } from './synth';
import { terraform, TerraformError, TerraformResult } from './terraform';

/** Terraform operations on synthesized stack folders, shared by every script and test. */

/** Where `npm run diff` saves each stack's plan (inside the stack folder), for `npm run plan:summary`. */
export const PLAN_FILE = 'plan.tfplan';

export interface StepOptions {
  /** Extra environment for terraform. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Copy terraform's output to this process's output. @default false */
  readonly echo?: boolean;
  /** Ask before apply/destroy instead of auto-approving. @default false */
  readonly interactive?: boolean;
}

/** The synthesized Terraform JSON of a stack. */
export function stackJson(stack: SynthesizedStack): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as Record<string, any>;
}

/** True for a stack whose state is a local file (the bootstrap stack that creates the state bucket). */
export function hasLocalState(stack: SynthesizedStack): boolean {
  return stackJson(stack).terraform?.backend?.local !== undefined;
}

/**
 * True for a stack Terraform refuses to destroy because every resource has prevent_destroy: the
 * state bucket, and the account-wide API Gateway role other environments log through.
 */
export function keptOnDestroy(stack: SynthesizedStack): boolean {
  const resources = Object.values((stackJson(stack).resource ?? {}) as Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>).flatMap(
    (byId) => Object.values(byId),
  );
  return resources.length > 0 && resources.every((r) => r.lifecycle?.prevent_destroy === true);
}

export async function init(stack: SynthesizedStack, options: StepOptions & { backend: boolean }): Promise<TerraformResult> {
  const args = ['init', '-input=false', '-no-color'];
  // -reconfigure: the same folder may have been initialised for another backend or endpoint before.
  args.push(...(options.backend ? ['-reconfigure'] : ['-backend=false']));
  return terraform(args, { cwd: stack.dir, env: options.env, echo: options.echo });
}

export async function validate(stack: SynthesizedStack, options: StepOptions = {}): Promise<TerraformResult> {
  return terraform(['validate', '-no-color'], { cwd: stack.dir, env: options.env, echo: options.echo });
}

export async function apply(stack: SynthesizedStack, options: StepOptions & { extraArgs?: readonly string[] } = {}): Promise<TerraformResult> {
  const args = ['apply', '-no-color', ...(options.interactive ? [] : ['-input=false', '-auto-approve']), ...(options.extraArgs ?? [])];
  return terraform(args, { cwd: stack.dir, env: options.env, echo: options.echo, interactive: options.interactive });
}

export async function destroy(stack: SynthesizedStack, options: StepOptions & { extraArgs?: readonly string[] } = {}): Promise<TerraformResult> {
  const args = ['destroy', '-no-color', ...(options.interactive ? [] : ['-input=false', '-auto-approve']), ...(options.extraArgs ?? [])];
  return terraform(args, { cwd: stack.dir, env: options.env, echo: options.echo, interactive: options.interactive });
}

export interface PlanOutcome {
  readonly changed: boolean;
  readonly output: string;
  readonly seconds: number;
}

/** `terraform plan -detailed-exitcode`, optionally saving the plan (`-out`, relative to the stack folder). */
export async function plan(stack: SynthesizedStack, options: StepOptions & { out?: string; extraArgs?: readonly string[] } = {}): Promise<PlanOutcome> {
  const args = ['plan', '-input=false', '-no-color', '-detailed-exitcode', ...(options.out ? [`-out=${options.out}`] : []), ...(options.extraArgs ?? [])];
  const result = await terraform(args, { cwd: stack.dir, env: options.env, echo: options.echo, okCodes: [0, 2] });
  return { changed: result.code === 2, output: result.stdout, seconds: result.seconds };
}

/** `terraform show -json <planfile>`, parsed. */
export async function showPlanJson(stack: SynthesizedStack, planFile: string, options: StepOptions = {}): Promise<unknown> {
  const result = await terraform(['show', '-json', '-no-color', planFile], { cwd: stack.dir, env: options.env });
  return JSON.parse(result.stdout) as unknown;
}

/** Addresses in a stack's state. */
export async function stateList(stack: SynthesizedStack, options: StepOptions = {}): Promise<string[]> {
  const result = await terraform(['state', 'list', '-no-color'], { cwd: stack.dir, env: options.env, okCodes: [0, 1] });
  // Exit 1 with "No state file was found" is an empty state, not a failure.
  if (result.code !== 0 && !/No state file was found/i.test(result.stderr)) throw new TerraformError(['state', 'list'], stack.dir, result);
  return result.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Runs `task` over `items` with at most `limit` at a time; the first failure rejects after running ones settle. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined && errors.length === 0; item = queue.shift()) {
      try {
        await task(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (errors.length > 0) throw errors[0];
}

/**
 * Runs `task` for every stack as `cdktf deploy '*'` / `cdktf destroy '*'` order them: on deploy a
 * stack starts once every stack it depends on is done; on destroy once every stack depending on it
 * is done. At most `limit` at a time; the first failure stops new starts and is rethrown after the
 * running ones finish (a dependent of a failed stack never starts).
 */
export async function forEachInDependencyOrder(
  stacks: readonly SynthesizedStack[],
  order: 'deploy' | 'destroy',
  limit: number,
  task: (stack: SynthesizedStack) => Promise<void>,
): Promise<void> {
  const names = new Set(stacks.map((s) => s.name));
  // Dependencies outside the selection are assumed done (deployed before, or destroyed after).
  const blockers = new Map(
    stacks.map((s) => [
      s.name,
      new Set(
        order === 'deploy'
          ? s.dependencies.filter((d) => names.has(d))
          : stacks.filter((other) => other.dependencies.includes(s.name)).map((other) => other.name),
      ),
    ]),
  );
  const pending = [...stacks];
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  while ((pending.length > 0 && !failure) || running.size > 0) {
    const ready = failure ? -1 : pending.findIndex((s) => blockers.get(s.name)!.size === 0);
    if (ready >= 0 && running.size < limit) {
      const [stack] = pending.splice(ready, 1);
      const run: Promise<void> = task(stack)
        .then(() => {
          for (const waiting of blockers.values()) waiting.delete(stack.name);
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => running.delete(run));
      running.add(run);
      continue;
    }
    if (running.size === 0) {
      if (failure) break;
      throw new Error(`Stacks ${pending.map((s) => s.name).join(', ')} wait on each other: their dependencies form a cycle.`);
    }
    await Promise.race(running);
  }
  if (failure) throw failure.error;
}

/** Step timings, printed as a table at the end of a script and reported by the tests. */
export class Timings {
  readonly entries: { step: string; seconds: number }[] = [];
  private readonly started = Date.now();

  async time<T>(step: string, work: () => Promise<T> | T): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.entries.push({ step, seconds: (Date.now() - started) / 1000 });
    }
  }

  table(): string {
    const width = Math.max(12, ...this.entries.map((e) => e.step.length));
    const total = this.entries.reduce((sum, e) => sum + e.seconds, 0);
    return [
      `${'step'.padEnd(width)}  seconds`,
      ...this.entries.map((e) => `${e.step.padEnd(width)}  ${e.seconds.toFixed(1).padStart(7)}`),
      `${'sum of steps'.padEnd(width)}  ${total.toFixed(1).padStart(7)}`,
      // Steps of different stacks overlap, so the wall clock is the figure that matters.
      `${'wall clock'.padEnd(width)}  ${((Date.now() - this.started) / 1000).toFixed(1).padStart(7)}`,
    ].join('\n');
  }
}
