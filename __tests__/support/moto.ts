import { Emulator, startEmulator } from '../../scripts/lib/emulator';

/**
 * Every suite that needs AWS gets its own emulator on a free 127.0.0.1 port from the project's one
 * launcher (`scripts/lib/emulator.ts`, the same one `deploy:local` uses). The handlers' SDK clients
 * reach it through AWS_ENDPOINT_URL, the SDK's own endpoint setting, so the code under test is
 * exactly what runs in Lambda.
 */
export type Moto = Emulator;

export function startMoto(): Promise<Moto> {
  return startEmulator();
}

/**
 * One emulator for the whole suite: started before the suite's own `beforeAll` hooks (register
 * this first), with the SDK pointed at it, and stopped after the suite.
 */
export function useEmulator(region?: string): () => Moto {
  let moto: Moto | undefined;
  beforeAll(async () => {
    // No suite here attaches an AWS managed policy; loading them would cost each suite ~2 CPU-seconds.
    moto = await startEmulator({ managedPolicies: false });
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
