import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as net from 'net';

/**
 * Starts the moto AWS emulator (`moto_server`) on a free 127.0.0.1 port for one test suite.
 * The handlers' SDK clients reach it through AWS_ENDPOINT_URL, the SDK's own endpoint setting,
 * so the code under test is exactly what runs in Lambda.
 *
 * Override the command with MOTO_SERVER_COMMAND (e.g. "python3 -m moto.server").
 */
export interface Moto {
  readonly endpoint: string;
  /** Sets AWS_ENDPOINT_URL, fake credentials and region in process.env for SDK clients created afterwards. */
  useForSdk(region?: string): void;
  /** Wipes every resource in the emulator. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const MOTO_INSTALL_HINT =
  'The tests need the moto AWS emulator: install it with `pip install "moto[server]"` (or Debian\'s python3-moto), ' +
  'make sure `moto_server` is on PATH, or set MOTO_SERVER_COMMAND to a command that runs it (e.g. "python3 -m moto.server").';

export async function startMoto(): Promise<Moto> {
  const [command, ...baseArgs] = motoCommand();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess;
  try {
    child = spawn(command, [...baseArgs, '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`Could not start moto_server (${(error as Error).message}). ${MOTO_INSTALL_HINT}`);
  }
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const deadline = Date.now() + 30_000;
  for (;;) {
    const early = await Promise.race([
      exited.then((code) => `moto_server exited with code ${code} before answering`),
      spawnError.then((e) => `moto_server could not be started: ${e.message}`),
      ping(endpoint).then((ok) => (ok ? 'ready' : undefined)),
    ]);
    if (early === 'ready') break;
    if (early !== undefined) throw new Error(`${early}.\n${output}\n${MOTO_INSTALL_HINT}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s.\n${output}\n${MOTO_INSTALL_HINT}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    endpoint,
    useForSdk(region = 'us-east-1') {
      process.env.AWS_ENDPOINT_URL = endpoint;
      process.env.AWS_ACCESS_KEY_ID = 'testing';
      process.env.AWS_SECRET_ACCESS_KEY = 'testing';
      delete process.env.AWS_SESSION_TOKEN;
      delete process.env.AWS_PROFILE;
      process.env.AWS_REGION = region;
      process.env.AWS_DEFAULT_REGION = region;
    },
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function motoCommand(): string[] {
  const configured = process.env.MOTO_SERVER_COMMAND?.trim();
  if (configured) return configured.split(/\s+/);
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim() !== '') return [found.stdout.trim()];
  const module = spawnSync('python3', ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (module.status === 0) return ['python3', '-m', 'moto.server'];
  throw new Error(`moto_server was not found on PATH and python3 cannot import moto.server. ${MOTO_INSTALL_HINT}`);
}

async function ping(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
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
