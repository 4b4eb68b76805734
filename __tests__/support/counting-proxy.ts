import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A pass-through HTTP proxy in front of the emulator that counts the AWS API calls going through
 * it, by the `X-Amz-Target` header of JSON-protocol services (e.g. `secretsmanager.GetSecretValue`).
 * It lets a test count the calls a handler really makes, without touching the SDK.
 */
export interface CountingProxy {
  readonly endpoint: string;
  /** Calls of one operation so far, e.g. `count('secretsmanager.GetSecretValue')`. */
  count(target: string): number;
  close(): Promise<void>;
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? '');
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forward = http.request(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    forward.on('error', (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    request.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    count: (operation) => counts.get(operation) ?? 0,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
