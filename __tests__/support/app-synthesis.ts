import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Synthesis } from '../../scripts/lib/synth';
import { ConfigOverrides, outdirOf, SharedOutdir, SHARED_SYNTHESIS_ENV } from './shared-synthesis';

/**
 * The app synthesized to disk with `overrides`, exactly as `npm run synth` does (`synthesize`):
 * this run's shared output folder when the global setup made it (SHARED_OUTDIR_CONFIGS), otherwise
 * a synthesis into a scratch folder now. Suites read it and never write into it.
 */
export function appSynthesis(overrides: ConfigOverrides = {}): Synthesis {
  const root = process.env[SHARED_SYNTHESIS_ENV];
  const { dir, stacksFile } = outdirOf(overrides);
  if (root && fs.existsSync(path.join(root, stacksFile))) {
    const shared = JSON.parse(fs.readFileSync(path.join(root, stacksFile), 'utf8')) as SharedOutdir;
    const outdir = path.join(root, dir);
    return { config: shared.config, outdir, stacks: shared.stacks.map((s) => ({ name: s.name, dir: path.join(outdir, s.relativeDir), dependencies: s.dependencies })) };
  }
  // Loaded only here: a suite reading the shared output never loads cdktf or the stacks.
  const { synthesize } = require('../../scripts/lib/synth') as typeof import('../../scripts/lib/synth');
  return synthesize({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'sp-synth-')), env: overrides });
}
