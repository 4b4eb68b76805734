import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { loadConfig } from '../../lib/config';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { formatTokenStacksUnmapped } from '../../lib/token-stacks';
import { buildStacks } from '../../stacks';
import { synthesize } from '../../scripts/lib/synth';
import { warningsOf } from './synth';
import { BundleRecord, bundlesPartFile, configFileName, OutdirStack, outdirOf, SharedOutdir, SHARED_OUTDIR_CONFIGS, SHARED_CONFIGS, SynthesizedApp } from './shared-synthesis';

/**
 * Run by the unit tier's global setup in a fresh process (`ts-node --swc`, arguments: the folder to
 * write, this child's part and the number of parts), so it always loads the sources as they are
 * now, even in watch mode, where the parent process's module cache would hold the previous ones.
 * Each part synthesizes every n-th configuration and writes the bundles it embedded to its own file.
 */
function main(outDir: string, part: number, parts: number): void {
  formatTokenStacksUnmapped();
  fs.mkdirSync(outDir, { recursive: true });
  const bundles = new Map<string, BundleRecord>();
  const bundled = path.join(outDir, 'bundled');
  for (const overrides of SHARED_CONFIGS.filter((_, i) => i % parts === part)) {
    // The first configuration bundles every function into the bundle cache; the other parts wait for
    // it rather than bundle the same functions at the same time (esbuild already uses every core).
    if (part > 0) waitFor(bundled, BUNDLING_WAIT_MS);
    try {
      const app = Testing.app();
      buildStacks(app, loadConfig({ env: overrides }));
      const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
      const synthesized: SynthesizedApp = { overrides, stacks: stacks.map((s) => ({ id: s.node.id, tf: JSON.parse(Testing.synth(s)), warnings: warningsOf(s) })) };
      fs.writeFileSync(path.join(outDir, configFileName(overrides)), JSON.stringify(synthesized));
      for (const fn of app.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction)) {
        const { entry, runtime, sha256Hex } = fn.bundle;
        bundles.set(`${entry}|${runtime}`, { entry, runtime, sha256Hex });
      }
    } catch (error) {
      // Left out: the suites that need this configuration synthesize it themselves and report the error.
      console.error(`shared synthesis of ${JSON.stringify(overrides)} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (part === 0) fs.writeFileSync(bundled, '');
    }
  }
  SHARED_OUTDIR_CONFIGS.forEach((overrides, i) => {
    if ((SHARED_CONFIGS.length + i) % parts !== part) return;
    try {
      const { dir, stacksFile } = outdirOf(overrides);
      const synthesis = synthesize({ outdir: path.join(outDir, dir), env: overrides });
      const stacks: OutdirStack[] = synthesis.stacks.map((s) => ({ name: s.name, relativeDir: path.relative(synthesis.outdir, s.dir), dependencies: s.dependencies }));
      const written: SharedOutdir = { config: synthesis.config, stacks };
      fs.writeFileSync(path.join(outDir, stacksFile), JSON.stringify(written));
    } catch (error) {
      console.error(`shared synthesis to disk of ${JSON.stringify(overrides)} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  fs.writeFileSync(path.join(outDir, bundlesPartFile(part)), JSON.stringify([...bundles.values()]));
}

/** Past this, a part bundles for itself: the first part may have died. */
const BUNDLING_WAIT_MS = 30_000;

function waitFor(file: string, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(file) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 25);
}

main(process.argv[2], Number(process.argv[3] ?? 0), Number(process.argv[4] ?? 1));
