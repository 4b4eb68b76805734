import { Credentials, signHeaders } from '../../local/aws/sigv4';

/** One HTTP call of a smoke step, optionally SigV4-signed for `execute-api`. */
export interface SmokeResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T = any>(): T;
}

export interface CallOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly sign?: { readonly credentials: Credentials; readonly region: string };
}

export async function call(url: string, options: CallOptions = {}): Promise<SmokeResponse> {
  const method = options.method ?? 'GET';
  const body = options.body ?? '';
  let headers: Record<string, string> = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  if (options.sign) {
    const u = new URL(url);
    headers = { ...headers, host: u.host };
    const signed = signHeaders({ method, path: u.pathname, rawQuery: u.search.slice(1), headers, body }, options.sign.credentials, options.sign.region, 'execute-api');
    headers = { ...headers, ...signed };
    delete headers.host;
  }
  const response = await fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text),
  };
}

/** "expected 201, got 400: {...}" with the body cut short; bodies of these APIs never hold credentials. */
export function expectStatus(response: SmokeResponse, ...expected: number[]): void {
  if (!expected.includes(response.status)) {
    throw new Error(`expected ${expected.join(' or ')}, got ${response.status}: ${response.text.slice(0, 300)}`);
  }
}
