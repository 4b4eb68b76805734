import { setupSharedSynthesis } from './shared-synthesis-setup';
import { startWorkerEmulators } from './worker-emulators';

/**
 * The unit tier's global setup: the shared synthesis (shared-synthesis.ts) and one emulator per
 * worker (worker-emulators.ts), side by side: the synthesis keeps one core busy, the emulators
 * start on the other.
 */
export default async function setup(globalConfig: { readonly maxWorkers: number }): Promise<void> {
  await Promise.all([setupSharedSynthesis(), startWorkerEmulators(globalConfig.maxWorkers)]);
}
