import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stackJson } from '../stacks';
import { Synthesis, synthesize } from '../synth';
import { inventoryFromConfig, SynthesizedConfig } from './inventory';
import { loadPriceTable } from './prices';
import { loadProfile } from './profile';
import { buildReport, CostReport } from './report';

/**
 * Synthesizes the app offline with the given settings (PIPELINES_* for the app, PIPELINES_COST_*
 * for the traffic profile) into a scratch folder, so `cdktf.out` and its saved plans stay as they
 * are, and prices every stack in the configured region.
 */
export function estimateApp(env: Readonly<Record<string, string | undefined>>): CostReport {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipelines-cost-'));
  try {
    return estimateSynthesis(synthesize({ outdir, env }), env);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Prices every stack of a synthesis in its region, with the traffic profile of `env` (PIPELINES_COST_*). */
export function estimateSynthesis(synthesis: Synthesis, env: Readonly<Record<string, string | undefined>>): CostReport {
  const stacks = synthesis.stacks.map((stack) => ({ name: stack.name, inventory: inventoryFromConfig(stackJson(stack) as SynthesizedConfig) }));
  return buildReport(stacks, loadPriceTable(), synthesis.config.region, loadProfile(env));
}
