import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../../lib/bundling';

/**
 * Finds or starts the local AWS emulator (moto_server) for `deploy:local`. A server already
 * answering at the endpoint is used as is; otherwise one is started in the background and left
 * running (its resources live in its memory), with its pid and log under `.local/`.
 */
export const LOCAL_DIR = path.join(PROJECT_ROOT, '.local');
const PID_FILE = path.join(LOCAL_DIR, 'moto.pid');
const LOG_FILE = path.join(LOCAL_DIR, 'moto.log');

export const MOTO_HINT =
  'Install the moto AWS emulator (`pip install "moto[server]"`) so that `moto_server` is on PATH, ' +
  'or set MOTO_SERVER_COMMAND (e.g. "python3 -m moto.server").';

export async function isEmulatorUp(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function motoCommand(): string[] {
  const configured = process.env.MOTO_SERVER_COMMAND?.trim();
  if (configured) return configured.split(/\s+/);
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim() !== '') return [found.stdout.trim()];
  throw new Error(`moto_server is not on PATH. ${MOTO_HINT}`);
}

/** Returns 'running' when a server already answered, 'started' when this call started one. */
export async function ensureEmulator(endpoint: string): Promise<'running' | 'started'> {
  if (await isEmulatorUp(endpoint)) return 'running';
  const url = new URL(endpoint);
  if (!['127.0.0.1', 'localhost', '0.0.0.0'].includes(url.hostname)) {
    throw new Error(`Nothing answers at PIPELINES_LOCAL_ENDPOINT=${endpoint}, and it is not on this machine, so it cannot be started here.`);
  }
  const [command, ...args] = motoCommand();
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  const log = fs.openSync(LOG_FILE, 'a');
  const child = spawn(command, [...args, '-H', url.hostname, '-p', url.port || '80'], { detached: true, stdio: ['ignore', log, log] });
  const failed = new Promise<Error>((resolve) => child.once('error', resolve));
  child.unref();
  fs.writeFileSync(PID_FILE, `${child.pid}\n`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const error = await Promise.race([failed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 200))]);
    if (error) throw new Error(`Could not start ${command}: ${error.message}. ${MOTO_HINT}`);
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}; see ${LOG_FILE}.`);
    if (await isEmulatorUp(endpoint)) return 'started';
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 30 s; see ${LOG_FILE}.`);
}

/** Stops the emulator this project started (by the pid it recorded), if it is still running. */
export function stopStartedEmulator(): boolean {
  if (!fs.existsSync(PID_FILE)) return false;
  const pid = Number(fs.readFileSync(PID_FILE, 'utf8').trim());
  fs.rmSync(PID_FILE);
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
