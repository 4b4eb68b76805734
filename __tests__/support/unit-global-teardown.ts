import * as fs from 'fs';
import { ORIGINAL_TMPDIR_ENV } from './unit-global-setup';
import { stopWorkerEmulators } from './worker-emulators';

export default function teardown(): void {
  stopWorkerEmulators();
  const original = process.env[ORIGINAL_TMPDIR_ENV];
  if (original === undefined) return;
  const scratch = process.env.TMPDIR;
  if (original === '') delete process.env.TMPDIR;
  else process.env.TMPDIR = original;
  delete process.env[ORIGINAL_TMPDIR_ENV];
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
}
