import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setupSharedSynthesis } from './shared-synthesis-setup';
import { startWorkerEmulators } from './worker-emulators';

/** Set while a run goes on: the TMPDIR the run started with, restored by the teardown. */
export const ORIGINAL_TMPDIR_ENV = 'PIPELINES_TEST_ORIGINAL_TMPDIR';

/**
 * The unit tier's global setup: the shared synthesis (shared-synthesis.ts) and one emulator per
 * worker (worker-emulators.ts), side by side: the synthesis keeps the cores busy while the
 * emulators start. The workers get a temporary folder of the run's own (TMPDIR), which the
 * teardown removes with everything the suites left in it (cdktf's `Testing.app()` makes an output
 * folder there for every app it creates).
 */
export default async function setup(globalConfig: { readonly maxWorkers: number }): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-unit-run-'));
  process.env[ORIGINAL_TMPDIR_ENV] = process.env.TMPDIR ?? '';
  process.env.TMPDIR = scratch;
  await Promise.all([setupSharedSynthesis(), startWorkerEmulators(globalConfig.maxWorkers)]);
}
