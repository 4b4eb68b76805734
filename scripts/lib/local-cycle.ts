import { SETTINGS } from '../../lib/config';
import { apply, destroy, forEachInDependencyOrder, forEachLimited, init, keptOnDestroy, plan, PlanOutcome, StepOptions, Timings } from './stacks';
import { LOCAL_OUTDIR, synthesize, SynthesizedStack, Synthesis } from './synth';

/**
 * The deploy -> plan -> destroy cycle against the local emulator, shared by `deploy:local`,
 * `destroy:local` and the cycle test. Terraform runs directly in each synthesized stack folder
 * (not through `cdktf deploy`): one synthesis serves every step, the order of stacks is ours
 * (the bootstrap stack first, since every other stack keeps its state in the bucket it creates),
 * and every step gets Terraform's own exit code and message.
 */

/** Settings that make the app target the emulator at `endpoint`. */
export function localTargetEnv(endpoint: string, base: Readonly<Record<string, string | undefined>> = process.env): Record<string, string | undefined> {
  return { ...base, [SETTINGS.target.env]: 'local', [SETTINGS.localEndpoint.env]: endpoint };
}

export function synthesizeLocal(endpoint: string, outdir: string = LOCAL_OUTDIR, base?: Readonly<Record<string, string | undefined>>): Synthesis {
  return synthesize({ outdir, env: localTargetEnv(endpoint, base) });
}

/**
 * Environment for terraform against the emulator. Provider and backend carry their own fake
 * credentials; these only stop a developer's real AWS profile or SSO session leaking into the run.
 */
export const EMULATOR_TF_ENV: Readonly<Record<string, string | undefined>> = {
  AWS_PROFILE: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
};

export interface CycleOptions {
  readonly timings: Timings;
  /** Print each stack's terraform output (when the stack is done, as stacks run side by side). @default false */
  readonly echo?: boolean;
  readonly log?: (line: string) => void;
  /** Pipeline stacks deployed or destroyed at the same time. @default 3 */
  readonly concurrency?: number;
}

const quiet: StepOptions = { env: EMULATOR_TF_ENV };

/**
 * Runs `work` for every stack in the order of their dependencies (as `cdktf deploy '*'` would):
 * the state bucket first, then the API Gateway account role, then the pipelines side by side. An
 * apply spends most of its time in the provider's waiters, so overlapping them shortens the cycle
 * even on 2 cores.
 */
async function inDependencyOrder(
  stacks: readonly SynthesizedStack[],
  options: CycleOptions,
  order: 'deploy' | 'destroy',
  work: (stack: SynthesizedStack) => Promise<string>,
): Promise<void> {
  await forEachInDependencyOrder(stacks, order, options.concurrency ?? 3, async (stack) => {
    options.log?.(`${order} ${stack.name}: started`);
    try {
      const output = await work(stack);
      options.log?.(`${order} ${stack.name}: done${options.echo ? `\n${output}` : ''}`);
    } catch (error) {
      options.log?.(`${order} ${stack.name}: FAILED`);
      throw error;
    }
  });
}

/** Initialises (with its real backend) and applies every stack, bootstrap first. */
export async function deployAll(stacks: readonly SynthesizedStack[], options: CycleOptions): Promise<void> {
  await inDependencyOrder(stacks, options, 'deploy', async (stack) => {
    await options.timings.time(`init ${stack.name}`, () => init(stack, { ...quiet, backend: true }));
    const applied = await options.timings.time(`apply ${stack.name}`, () => apply(stack, quiet));
    return fromLine(applied.stdout, 'Apply complete!');
  });
}

/** A plan of every stack, side by side; after a deploy each should be empty. */
export async function planAll(stacks: readonly SynthesizedStack[], options: CycleOptions & { out?: string }): Promise<Map<string, PlanOutcome>> {
  const outcomes = new Map<string, PlanOutcome>();
  await forEachLimited(stacks, options.concurrency ?? 3, async (stack) => {
    outcomes.set(stack.name, await options.timings.time(`plan ${stack.name}`, () => plan(stack, { ...quiet, out: options.out })));
  });
  return outcomes;
}

/**
 * Destroys every stack but those Terraform refuses to destroy (prevent_destroy), dependents first:
 * the state bucket stays, holding the (now empty) state of every other stack, and so does the
 * account-wide API Gateway role that other environments of the account log through.
 */
export async function destroyAll(stacks: readonly SynthesizedStack[], options: CycleOptions): Promise<void> {
  await inDependencyOrder(stacks, options, 'destroy', async (stack) => {
    if (keptOnDestroy(stack)) return 'Kept: Terraform refuses to destroy it (prevent_destroy).';
    await options.timings.time(`init ${stack.name}`, () => init(stack, { ...quiet, backend: true }));
    const destroyed = await options.timings.time(`destroy ${stack.name}`, () => destroy(stack, quiet));
    return fromLine(destroyed.stdout, 'Destroy complete!');
  });
}

/** The end of terraform's output from `marker` on (the result and the outputs), or all of it. */
function fromLine(output: string, marker: string): string {
  const at = output.indexOf(marker);
  return (at >= 0 ? output.slice(at) : output).trim();
}
