import { Emulator, MOTO_HINT, startEmulator } from '../../scripts/lib/emulator';

/**
 * Every suite that needs AWS gets its own emulator on a free 127.0.0.1 port from the project's one
 * launcher (`scripts/lib/emulator.ts`, the same one `deploy:local` uses). The handlers' SDK clients
 * reach it through AWS_ENDPOINT_URL, the SDK's own endpoint setting, so the code under test is
 * exactly what runs in Lambda.
 */
export type Moto = Emulator;

export const MOTO_INSTALL_HINT = MOTO_HINT;

export function startMoto(): Promise<Moto> {
  return startEmulator();
}
