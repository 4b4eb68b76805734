import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/bundling';
import { loadConfig } from '../lib/config';
import { CostedPlan, planCostChange, planRegion } from './lib/cost/plan';
import { loadPriceTable, pricesFor } from './lib/cost/prices';
import { loadProfile, TrafficProfile } from './lib/cost/profile';
import { PlanJson, StackPlan, summarizePlans } from './lib/plan-summary';
import { hasLocalState, PLAN_FILE, showPlanJson, stackJson } from './lib/stacks';
import { outdirFor, SynthesizedStack } from './lib/synth';

/**
 * `npm run plan:summary [-- --out <file>]`: reads the plan each stack saved with `npm run diff`
 * (`terraform show -json`) and writes one Markdown summary, by default `plan-summary.md` in the
 * synthesized folder (`cdktf.out`, or `.local/cdktf.out` with PIPELINES_TARGET=local).
 * Stacks come from the synthesized manifest, so every stack the app builds is covered.
 */
async function main(argv: readonly string[]): Promise<void> {
  // The folder `npm run diff` synthesized into for the same settings.
  const outdir = outdirFor(process.env);
  const outIndex = argv.indexOf('--out');
  const out = path.resolve(PROJECT_ROOT, outIndex >= 0 ? argv[outIndex + 1] : path.join(outdir, 'plan-summary.md'));
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} does not exist: run \`npm run diff\` first.`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };

  const plans: StackPlan[] = [];
  const profile = loadProfile(process.env);
  const table = loadPriceTable();
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    const stack: SynthesizedStack = { name, dir: path.join(outdir, entry.workingDirectory), dependencies: [] };
    if (!fs.existsSync(path.join(stack.dir, PLAN_FILE))) {
      if (hasLocalState(stack)) {
        plans.push({ stack: name, skipped: 'its state is a local file, kept by whoever bootstrapped the account' });
        continue;
      }
      throw new Error(`No plan for stack ${name} (${path.join(stack.dir, PLAN_FILE)}): run \`npm run diff\` first.`);
    }
    // The synthesized configuration the plan was made from: the summary draws the stack from it.
    const plan = (await showPlanJson(stack, PLAN_FILE)) as PlanJson & CostedPlan;
    plans.push({ stack: name, plan, config: stackJson(stack), ...stackCost(plan, table, profile) });
  }
  const markdown = summarizePlans(plans);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, markdown);
  console.log(markdown);
  console.log(`\nWritten to ${path.relative(PROJECT_ROOT, out)}`);
}

/** The plan's cost change in the region its provider names; a region without prices is said, not fatal. */
function stackCost(plan: CostedPlan, table: ReturnType<typeof loadPriceTable>, profile: TrafficProfile): Pick<StackPlan, 'cost' | 'costUnavailable'> {
  const region = planRegion(plan) ?? loadConfig({ env: process.env }).region;
  try {
    return { cost: planCostChange(plan, pricesFor(table, region), profile) };
  } catch (error) {
    return { costUnavailable: (error as Error).message };
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
