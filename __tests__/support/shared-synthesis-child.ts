import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { loadConfig } from '../../lib/config';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { buildStacks } from '../../stacks';
import { warningsOf } from './synth';
import { BundleRecord, BUNDLES_FILE, configFileName, SHARED_CONFIGS, SynthesizedApp } from './shared-synthesis';

/**
 * Run by the unit tier's global setup in a fresh process (`ts-node --swc`, argument: the folder to
 * write), so it always loads the sources as they are now, even in watch mode, where the parent
 * process's module cache would hold the previous ones.
 */
function main(outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true });
  const bundles = new Map<string, BundleRecord>();
  for (const overrides of SHARED_CONFIGS) {
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
    }
  }
  fs.writeFileSync(path.join(outDir, BUNDLES_FILE), JSON.stringify([...bundles.values()]));
}

main(process.argv[2]);
