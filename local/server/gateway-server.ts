import * as http from 'http';
import { LocalRequest, LocalResponse, jsonResponse } from './http-types';
import { requestQuotaRefusal } from './limits';

/**
 * The local gateway's HTTP server, on 127.0.0.1 only. Each deployed API is served under its own
 * base path, as API Gateway serves each under its own host: a REST API at `/<apiId>/<stage>`,
 * an HTTP API's `$default` stage at `/<apiId>/`. Logs one line per request.
 */
export interface ApiHandler {
  handle(request: LocalRequest): Promise<LocalResponse>;
}

export interface MountedApi {
  readonly apiId: string;
  /** `v1` for a REST stage; undefined for an HTTP API's `$default` stage (no stage in the path). */
  readonly stage?: string;
  /** REST APIs have a URL length quota that HTTP APIs do not. */
  readonly kind: 'REST' | 'HTTP';
  readonly handler: ApiHandler;
}

// API Gateway's payload limit is 10 MB; anything larger is refused before it is buffered.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function basePath(api: Pick<MountedApi, 'apiId' | 'stage'>): string {
  return api.stage ? `/${api.apiId}/${api.stage}` : `/${api.apiId}/`;
}

/** Answers the requests at the server's root that are AWS service calls (caller-keys-endpoint.ts), or undefined for any other. */
export type AwsEndpoint = (req: http.IncomingMessage, body: Buffer) => Promise<LocalResponse> | undefined;

export function createGatewayServer(apis: readonly MountedApi[], log: (line: string) => void, aws?: AwsEndpoint): http.Server {
  const mounts = apis.map((api) => ({ api, prefix: basePath(api).replace(/\/$/, '') }));
  return http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      void (async () => {
        const url = req.url ?? '/';
        const at = url.indexOf('?');
        const rawPath = at < 0 ? url : url.slice(0, at);
        const rawQuery = at < 0 ? '' : url.slice(at + 1);
        let response: LocalResponse;
        try {
          const body = Buffer.concat(chunks);
          if (tooLarge) response = jsonResponse(413, { message: 'Request Too Long' }, 'gateway REQUEST_TOO_LARGE');
          else response = (await aws?.(req, body)) ?? (await dispatch(mounts, req, rawPath, rawQuery, body));
        } catch (error) {
          log(`internal error: ${(error as Error).stack ?? String(error)}`);
          response = jsonResponse(500, { message: 'Internal server error' }, 'local data plane error');
        }
        const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
        res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
        res.end(req.method === 'HEAD' ? undefined : body);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log(`${req.method} ${rawPath} ${response.status} ${ms.toFixed(1)}ms ${response.integration}`);
      })();
    });
  });
}

/** Each API's base path without its trailing slash, worked out once for every request. */
interface Mount {
  readonly api: MountedApi;
  readonly prefix: string;
}

async function dispatch(mounts: readonly Mount[], req: http.IncomingMessage, rawPath: string, rawQuery: string, body: Buffer): Promise<LocalResponse> {
  const mount = mounts.find((m) => rawPath === m.prefix || rawPath.startsWith(`${m.prefix}/`));
  if (!mount) return jsonResponse(404, { message: `No deployed API is served at ${rawPath}; see .local/endpoints.json for the base URLs` }, 'local: no API');
  const { api, prefix } = mount;
  const overQuota = requestQuotaRefusal({ method: req.method ?? 'GET', url: req.url ?? '/', httpVersion: req.httpVersion, rawHeaders: req.rawHeaders }, api.kind === 'REST');
  if (overQuota) return overQuota;
  const path = rawPath.slice(prefix.length) || '/';
  return api.handler.handle({
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    rawPath,
    rawQuery,
    query: parseQuery(rawQuery),
    headers: headersOf(req),
    body,
    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    host: req.headers.host ?? '127.0.0.1',
  });
}

function parseQuery(rawQuery: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(rawQuery)) (out[k] ??= []).push(v);
  return out;
}

function headersOf(req: http.IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) (out[req.rawHeaders[i].toLowerCase()] ??= []).push(req.rawHeaders[i + 1]);
  return out;
}
