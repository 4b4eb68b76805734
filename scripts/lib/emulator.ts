import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { PROJECT_ROOT } from '../../lib/bundling';
import { EMULATOR_CREDENTIALS } from '../../local/aws/clients';

/**
 * The one way this project starts the local AWS emulator (moto_server), for the scripts
 * (`deploy:local`, `serve:local`) and for every test suite alike.
 *
 * The command is MOTO_SERVER_COMMAND when set (e.g. "python3 -m moto.server"), else `moto_server`
 * on PATH, else the Python module when python3 can import it: pip installs the module and the
 * console script separately, and either is enough.
 */
export const LOCAL_DIR = path.join(PROJECT_ROOT, '.local');
const PID_FILE = path.join(LOCAL_DIR, 'moto.pid');
const LOG_FILE = path.join(LOCAL_DIR, 'moto.log');
const READY_TIMEOUT_MS = 30_000;

export const MOTO_HINT =
  'Install the moto AWS emulator (`pip install "moto[server]"`, or Debian\'s python3-moto) so that `moto_server` is on PATH ' +
  'or python3 can import moto.server, or set MOTO_SERVER_COMMAND to a command that runs it (e.g. "python3 -m moto.server").';

/** A running emulator. */
export interface Emulator {
  readonly endpoint: string;
  /** Sets AWS_ENDPOINT_URL, the emulator's fake credentials and the region for SDK clients created afterwards. */
  useForSdk(region?: string): void;
  /** Wipes every resource in the emulator. */
  reset(): Promise<void>;
  /** Stops it (only an emulator this handle started; a detached one keeps running until `stopStartedEmulator`). */
  stop(): Promise<void>;
}

export function motoCommand(): string[] {
  const configured = process.env.MOTO_SERVER_COMMAND?.trim();
  if (configured) return configured.split(/\s+/);
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim() !== '') return [found.stdout.trim()];
  const module = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (module.status === 0) return ['python3', '-m', 'moto.server'];
  throw new Error(`moto_server is not on PATH and python3 cannot import moto.server. ${MOTO_HINT}`);
}

export async function isEmulatorUp(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

export interface StartOptions {
  /** @default a free port on 127.0.0.1 */
  readonly port?: number;
  /**
   * Leave the server running after this process exits, logging to `.local/moto.log` and recording
   * its pid in `.local/moto.pid` (the scripts); otherwise it is a child that `stop()` ends (tests).
   * @default false
   */
  readonly detached?: boolean;
  /** Where a detached emulator logs and records its pid. @default `.local/moto.log` and `.local/moto.pid` */
  readonly files?: { readonly log: string; readonly pid: string };
  /**
   * Load AWS's managed policies (moto's MOTO_IAM_LOAD_MANAGED_POLICIES): the apigw-account stack
   * attaches one, so deployments need them. moto then builds its ~1,300 policies again for each
   * account and partition it touches and after every reset, about 2 CPU-seconds each time: test
   * suites that attach none leave them out.
   * @default true
   */
  readonly managedPolicies?: boolean;
}

/** Starts a new emulator on 127.0.0.1 and resolves once it answers. */
export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
  const [command, ...args] = motoCommand();
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess;
  const serverArgs = [...args, '-H', '127.0.0.1', '-p', String(port)];
  // AWS managed policies (the apigw-account stack attaches AmazonAPIGatewayPushToCloudWatchLogs)
  // exist in moto only when it loads them at start: its MOTO_IAM_LOAD_MANAGED_POLICIES setting.
  const env = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: String(options.managedPolicies ?? true) };
  const files = options.files ?? { log: LOG_FILE, pid: PID_FILE };
  if (options.detached) {
    fs.mkdirSync(path.dirname(files.log), { recursive: true });
    const log = fs.openSync(files.log, 'a');
    child = spawn(command, serverArgs, { detached: true, stdio: ['ignore', log, log], env });
    fs.closeSync(log);
    child.unref();
    output = `see ${files.log}`;
  } else {
    child = spawn(command, serverArgs, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const outcome = await Promise.race([
      exited.then((code) => `moto_server exited with code ${code} before answering`),
      spawnError.then((e) => `moto_server could not be started (${command}): ${e.message}`),
      isEmulatorUp(endpoint).then((ok) => (ok ? 'ready' : undefined)),
    ]);
    if (outcome === 'ready') break;
    if (outcome !== undefined) throw new Error(`${outcome}.\n${output}\n${MOTO_HINT}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s.\n${output}\n${MOTO_HINT}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (options.detached) fs.writeFileSync(files.pid, `${child.pid}\n`);

  if (options.detached) return emulatorAt(endpoint);
  return {
    endpoint,
    useForSdk: (region = 'us-east-1') => useEmulatorForSdk(endpoint, region),
    reset: () => resetEmulator(endpoint),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A handle on an emulator already running at `endpoint`; its `stop()` leaves it running. */
export function emulatorAt(endpoint: string): Emulator {
  return {
    endpoint,
    useForSdk: (region = 'us-east-1') => useEmulatorForSdk(endpoint, region),
    reset: () => resetEmulator(endpoint),
    stop: async () => undefined,
  };
}

/**
 * Uses the emulator answering at `endpoint`, or starts one there in the background (only on this
 * machine). Returns 'running' when one already answered, 'started' when this call started it.
 */
export async function ensureEmulator(endpoint: string): Promise<'running' | 'started'> {
  if (await isEmulatorUp(endpoint)) return 'running';
  const url = new URL(endpoint);
  if (!['127.0.0.1', 'localhost'].includes(url.hostname)) {
    throw new Error(`Nothing answers at PIPELINES_LOCAL_ENDPOINT=${endpoint}, and it is not on this machine, so it cannot be started here.`);
  }
  await startEmulator({ port: Number(url.port || '80'), detached: true });
  return 'started';
}

/** Stops the emulator the scripts started (by the pid they recorded), if it is still running. */
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

/** The emulator's conventional fake credentials: not secrets, accepted nowhere but the emulator. */
export function useEmulatorForSdk(endpoint: string, region = 'us-east-1'): void {
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_ACCESS_KEY_ID = EMULATOR_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = EMULATOR_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = region;
  process.env.AWS_DEFAULT_REGION = region;
}

export async function resetEmulator(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
