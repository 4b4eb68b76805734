import * as fs from 'fs';
import * as path from 'path';
import { Emulator, emulatorAt, isEmulatorUp, startEmulator } from '../../scripts/lib/emulator';

/**
 * Every suite that needs AWS gets an emulator of its own on a free 127.0.0.1 port from the
 * project's one launcher (`scripts/lib/emulator.ts`, the same one `deploy:local` uses). The
 * handlers' SDK clients reach it through AWS_ENDPOINT_URL, the SDK's own endpoint setting, so the
 * code under test is exactly what runs in Lambda.
 */
export type Moto = Emulator;

export function startMoto(): Promise<Moto> {
  return startEmulator();
}

/**
 * Set by the unit tier's global setup (emulators-setup.ts): a folder where each jest worker keeps
 * the emulator it hands from one suite to the next. A worker runs one suite at a time, so a suite
 * that resets the emulator first has it to itself, without paying a server start (about a second
 * of CPU) for each suite.
 */
export const WORKER_EMULATORS_ENV = 'PIPELINES_TEST_EMULATORS_DIR';

/** This worker's emulator, started on first use; undefined outside a run with the global setup. */
async function workerEmulator(): Promise<Moto | undefined> {
  const dir = process.env[WORKER_EMULATORS_ENV];
  if (!dir || !fs.existsSync(dir)) return undefined;
  const files = workerFiles(dir, process.env.JEST_WORKER_ID ?? '1');
  if (fs.existsSync(files.endpoint)) {
    const endpoint = fs.readFileSync(files.endpoint, 'utf8').trim();
    if (await isEmulatorUp(endpoint)) {
      const reused = emulatorAt(endpoint);
      await reused.reset();
      return reused;
    }
  }
  return startWorkerEmulator(dir, process.env.JEST_WORKER_ID ?? '1');
}

/** Starts worker `workerId`'s emulator, recording its pid (for the teardown) and endpoint (for its next suites) in `dir`. */
export async function startWorkerEmulator(dir: string, workerId: string): Promise<Moto> {
  const files = workerFiles(dir, workerId);
  const started = await startEmulator({ detached: true, files, managedPolicies: false });
  fs.writeFileSync(files.endpoint, started.endpoint);
  return started;
}

export function workerFiles(dir: string, workerId: string): { log: string; pid: string; endpoint: string } {
  const base = path.join(dir, `worker-${workerId}`);
  return { log: `${base}.log`, pid: `${base}.pid`, endpoint: `${base}.endpoint` };
}

/**
 * An emulator with nothing in it for the whole suite: ready before the suite's own `beforeAll`
 * hooks (register this first), with the SDK pointed at it, and released after the suite.
 */
export function useEmulator(region?: string): () => Moto {
  let moto: Moto | undefined;
  beforeAll(async () => {
    // No suite here attaches an AWS managed policy; loading them would cost each suite ~2 CPU-seconds.
    moto = (await workerEmulator()) ?? (await startEmulator({ managedPolicies: false }));
    moto.useForSdk(region);
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
  });
  return () => {
    if (!moto) throw new Error('The emulator is not running: call useEmulator() at the top of the suite, and use it inside hooks or tests.');
    return moto;
  };
}
