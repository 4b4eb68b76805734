import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/bundling';
import { installAliases } from './lib/cdktn/aliases';
import { ensureBindings } from './lib/cdktn/bindings';
import { ensureToolchain, TOOLCHAIN_MODULES, toolchainVersion } from './lib/cdktn/toolchain';
import { Timings } from './lib/stacks';

/**
 * `npm run synth:cdktn [-- --outdir <dir>]`: synthesizes the whole app on CDK Terrain (cdktn) into
 * `cdktn.out/`, with the stacks and constructs unchanged: the toolchain is installed on demand
 * (tools/cdktn), the AWS provider bindings generated on demand from the provider mirror and cached
 * (.local/cdktn/bindings), and the import names mapped in scripts/lib/cdktn/aliases.ts.
 */
export const CDKTN_OUTDIR = path.join(PROJECT_ROOT, 'cdktn.out');

function outdirArg(argv: readonly string[]): string {
  const at = argv.indexOf('--outdir');
  if (at === -1) return CDKTN_OUTDIR;
  const value = argv[at + 1];
  if (!value || value.startsWith('--')) throw new Error('Usage: npm run synth:cdktn [-- --outdir <dir>]');
  return path.resolve(value);
}

// Two runs installing into the same node_modules at once leave truncated files: one at a time.
const LOCK = path.join(PROJECT_ROOT, '.local', 'cdktn', 'install.lock');
const LOCK_STALE_MS = 20 * 60_000;

async function exclusively<T>(work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      const heldSince = fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - heldSince > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const outdir = outdirArg(argv);
  const timings = new Timings();
  const bindings = await exclusively(async () => {
    await timings.time('toolchain', () => ensureToolchain());
    return timings.time('bindings', () => ensureBindings());
  });
  installAliases({ toolchainModules: TOOLCHAIN_MODULES, providerBindings: bindings.providerDir });
  // Loaded only now, so that its `cdktf` and provider imports resolve through the aliases.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesize } = require('./lib/synth') as typeof import('./lib/synth');
  const { stacks } = await timings.time('synth', () => synthesize({ outdir }));
  const { manifest } = bindings;
  console.log(
    `Synthesized ${stacks.map((s) => s.name).join(', ')} into ${path.relative(PROJECT_ROOT, outdir) || outdir} with cdktn ${toolchainVersion('cdktn')} ` +
      `and ${manifest.provider.source}@${manifest.provider.version} bindings (${manifest.modules.length} modules, ` +
      `${(manifest.keptBytes / 1e6).toFixed(1)} MB kept of ${(manifest.generatedBytes / 1e6).toFixed(0)} MB generated in ${manifest.generatedSeconds.toFixed(0)} s).\n\n${timings.table()}`,
  );
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
