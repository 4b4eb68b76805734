import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * SDK clients of the data plane, all pointed at the emulator with its conventional fake
 * credentials (not secrets; accepted nowhere but the emulator).
 */
export interface EmulatorTarget {
  /** e.g. http://127.0.0.1:5000 */
  readonly endpoint: string;
  readonly region: string;
}

export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

export function emulatorClient<T>(Client: new (config: any) => T, target: EmulatorTarget): T {
  return new Client({
    endpoint: target.endpoint,
    region: target.region,
    credentials: EMULATOR_CREDENTIALS,
    forcePathStyle: true,
    // Plain HTTP/1.1 with keep-alive: the Kinesis client would otherwise try HTTP/2, which moto does not speak.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000 }),
    maxAttempts: 2,
  });
}
