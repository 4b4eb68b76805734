import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { PROJECT_ROOT } from '../../lib/bundling';
import { loadConfig, PipelinesConfig, SETTINGS } from '../../lib/config';
import { formatTokenStacksUnmapped } from '../../lib/token-stacks';
import { buildStacks } from '../../stacks';

/** One synthesized stack: its name and the folder Terraform runs in. */
export interface SynthesizedStack {
  readonly name: string;
  readonly dir: string;
  /** Stacks this one references (cdktf records cross-stack references in the manifest). */
  readonly dependencies: readonly string[];
}

export interface SynthOptions {
  /** Output folder, laid out like `cdktf synth`'s. @default `cdktf.out`, or `.local/cdktf.out` for the local target */
  readonly outdir?: string;
  /** Settings (PIPELINES_*), as environment variables. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Synthesis {
  readonly config: PipelinesConfig;
  readonly outdir: string;
  /** Every stack the app builds, in deployment order (the order `buildStacks` creates them). */
  readonly stacks: readonly SynthesizedStack[];
}

export const DEFAULT_OUTDIR = path.join(PROJECT_ROOT, 'cdktf.out');
/**
 * Where the local (emulator) target is synthesized: apart from `cdktf.out`, so its bootstrap state
 * file (two levels above the stack folder) never lands where the real target's is kept.
 */
export const LOCAL_OUTDIR = path.join(PROJECT_ROOT, '.local', 'cdktf.out');

/** The output folder for the target the settings select. */
export function outdirFor(env: Readonly<Record<string, string | undefined>>): string {
  return env[SETTINGS.target.env]?.trim() === 'local' ? LOCAL_OUTDIR : DEFAULT_OUTDIR;
}

/**
 * Synthesizes the whole app in this process, exactly as main.ts does under `cdktf synth` (same
 * config loading, same `cdktf.json` context), but without the CLI's start-up cost and with the
 * stack order known: whatever `buildStacks` registers is covered, with no list kept here.
 */
export function synthesize(options: SynthOptions = {}): Synthesis {
  formatTokenStacksUnmapped();
  const env = options.env ?? process.env;
  const outdir = path.resolve(options.outdir ?? outdirFor(env));
  const app = new App({ outdir, context: cdktfJsonContext() });
  const config = loadConfig({ env, context: (key) => app.node.tryGetContext(key) });
  buildStacks(app, config);
  app.synth();

  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { workingDirectory: string; dependencies?: string[] }>;
  };
  const ordered = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c)).map((s) => s.node.id);
  const stacks = ordered.map((name) => {
    const entry = manifest.stacks[name];
    if (!entry) throw new Error(`Stack ${name} is missing from ${path.join(outdir, 'manifest.json')}.`);
    return { name, dir: path.join(outdir, entry.workingDirectory), dependencies: entry.dependencies ?? [] };
  });
  return { config, outdir, stacks };
}

function cdktfJsonContext(): Record<string, unknown> {
  const file = path.join(PROJECT_ROOT, 'cdktf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

/** Picks stacks by name, keeping deployment order; an unknown name fails listing the known ones. */
export function selectStacks(stacks: readonly SynthesizedStack[], names: readonly string[]): SynthesizedStack[] {
  if (names.length === 0) return [...stacks];
  const unknown = names.filter((n) => !stacks.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(`Unknown stack${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Stacks: ${stacks.map((s) => s.name).join(', ')}.`);
  }
  return stacks.filter((s) => names.includes(s.name));
}
