import * as path from 'path';
import { PROJECT_ROOT } from '../lib/bundling';
import { apply, destroy, hasLocalState, init, keptOnDestroy, plan, PLAN_FILE, Timings } from './lib/stacks';
import { selectStacks, synthesize } from './lib/synth';
import { toolchain } from './lib/terraform';

/**
 * `npm run synth|diff|deploy|destroy [-- <stack>...]`: one stack, several, or (no names) all of
 * them, with Terraform run directly in each synthesized folder. Deploy goes in the order the app
 * registers stacks (the state bucket first), destroy in reverse, skipping the stacks Terraform
 * refuses to destroy (the state bucket, the account-wide API Gateway role). Deploy and destroy ask
 * before changing anything unless `--auto-approve` is given.
 *
 * With PIPELINES_TARGET=local they work on `.local/cdktf.out`, the folders `deploy:local` uses.
 *
 *   diff  also saves each plan as `plan.tfplan` in the stack folder, for `npm run plan:summary`;
 *         `--remote-state-only` skips stacks whose state is a local file (the bootstrap stack),
 *         which a CI runner does not have.
 */
const COMMANDS = ['synth', 'diff', 'deploy', 'destroy'] as const;
type Command = (typeof COMMANDS)[number];

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command as Command)) {
    throw new Error(`Usage: ts-node --swc scripts/run-stacks.ts <${COMMANDS.join('|')}> [stack...] [--auto-approve] [--remote-state-only]`);
  }
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const names = rest.filter((a) => !a.startsWith('--'));
  const timings = new Timings();

  const { stacks: all, outdir } = await timings.time('synth', () => synthesize());
  const stacks = selectStacks(all, names);
  if (command === 'synth') {
    console.log(`Synthesized ${all.map((s) => s.name).join(', ')} into ${path.relative(PROJECT_ROOT, outdir)}.`);
    return;
  }
  const tc = toolchain();
  console.log(`Terraform providers: ${tc.mirror ? `mirror ${tc.mirror} (${tc.mirrorSource})` : tc.mirrorSource}`);
  const interactive = !flags.has('--auto-approve');
  const ordered = command === 'destroy' ? [...stacks].reverse() : stacks;
  for (const stack of ordered) {
    if (flags.has('--remote-state-only') && hasLocalState(stack)) {
      console.log(`\n=== ${stack.name}: skipped (its state is a local file)`);
      continue;
    }
    if (command === 'destroy' && keptOnDestroy(stack)) {
      // The state bucket, and the account-wide API Gateway role other environments log through.
      console.log(`\n=== ${stack.name}: kept (Terraform refuses to destroy it: prevent_destroy; see README "Deploying to AWS")`);
      continue;
    }
    console.log(`\n=== ${command} ${stack.name}`);
    await timings.time(`init ${stack.name}`, () => init(stack, { backend: true }));
    if (command === 'diff') {
      await timings.time(`plan ${stack.name}`, () => plan(stack, { out: PLAN_FILE, echo: true }));
    } else if (command === 'deploy') {
      await timings.time(`apply ${stack.name}`, () => apply(stack, { echo: true, interactive }));
    } else {
      await timings.time(`destroy ${stack.name}`, () => destroy(stack, { echo: true, interactive }));
    }
  }
  console.log(`\n${timings.table()}`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`\n${error.message}`);
  process.exit(1);
});
