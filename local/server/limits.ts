import { LocalResponse, jsonResponse } from './http-types';

/**
 * API Gateway's request quotas that are not adjustable, checked before any route is matched:
 * - REST APIs: "Length, in characters, of the URL for a regional API: 10240" and "Total combined
 *   size of request line and header values: 10240 bytes".
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
 * - HTTP APIs: "Total combined size of request line and header values: 10240 bytes".
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 * AWS documents the quotas, not the status of the refusal, so the local answers are the HTTP
 * statuses made for them (RFC 9110 414, RFC 6585 431), as README's "Known differences" says.
 */
export const MAX_URL_CHARACTERS = 10_240;
export const MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES = 10_240;

export interface RequestHead {
  readonly method: string;
  /** Path and query as received (`req.url`). */
  readonly url: string;
  readonly httpVersion: string;
  /** Node's rawHeaders: name, value, name, value, ... */
  readonly rawHeaders: readonly string[];
}

/** `https://host/path?query` as the client addressed it: what the URL quota counts. */
export function urlLength(head: RequestHead): number {
  const host = valuesOf(head, 'host')[0] ?? '';
  return `https://${host}${head.url}`.length;
}

/** Bytes of the request line (`GET /path HTTP/1.1`) plus every header value, names excluded. */
export function requestLineAndHeaderValuesBytes(head: RequestHead): number {
  let bytes = Buffer.byteLength(`${head.method} ${head.url} HTTP/${head.httpVersion}`, 'utf8');
  for (let i = 1; i < head.rawHeaders.length; i += 2) bytes += Buffer.byteLength(head.rawHeaders[i], 'utf8');
  return bytes;
}

/** The refusal for a request over a quota, or undefined. `checkUrl` only for REST APIs (regional). */
export function requestQuotaRefusal(head: RequestHead, checkUrl: boolean): LocalResponse | undefined {
  if (checkUrl && urlLength(head) > MAX_URL_CHARACTERS) {
    return jsonResponse(414, { message: 'Request-URI Too Long' }, `gateway URL over ${MAX_URL_CHARACTERS} characters`);
  }
  if (requestLineAndHeaderValuesBytes(head) > MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES) {
    return jsonResponse(431, { message: 'Request Header Fields Too Large' }, `gateway request line and header values over ${MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES} bytes`);
  }
  return undefined;
}

function valuesOf(head: RequestHead, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < head.rawHeaders.length; i += 2) if (head.rawHeaders[i].toLowerCase() === name) out.push(head.rawHeaders[i + 1]);
  return out;
}
