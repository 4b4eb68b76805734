import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startWorkerEmulator, WORKER_EMULATORS_ENV } from './moto';

/**
 * The unit tier's emulators: one per jest worker, kept from suite to suite (see `useEmulator` in
 * moto.ts). The global setup starts them while the shared synthesis runs, so that the first suites
 * find them ready; the global teardown stops every one a worker recorded, including any started later.
 */
export async function startWorkerEmulators(workers: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-test-emulators-'));
  process.env[WORKER_EMULATORS_ENV] = dir;
  await Promise.all(Array.from({ length: workers }, (_, i) => startWorkerEmulator(dir, String(i + 1))));
}

export function stopWorkerEmulators(): void {
  const dir = process.env[WORKER_EMULATORS_ENV];
  if (!dir || !fs.existsSync(dir)) return;
  for (const pidFile of fs.readdirSync(dir).filter((f) => f.endsWith('.pid'))) {
    const pid = Number(fs.readFileSync(path.join(dir, pidFile), 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env[WORKER_EMULATORS_ENV];
}
