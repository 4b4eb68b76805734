import { LocalRequest, LocalResponse, singleValues } from '../server/http-types';
import { RequestContext } from './request-context';

/**
 * The Lambda proxy integration's input (payload format 1.0) and the function's answer mapped back
 * to HTTP. A result that is not `{statusCode, headers?, multiValueHeaders?, body?, isBase64Encoded?}`
 * is a 502 "Internal server error", as on AWS.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 */
export function proxyEvent(request: LocalRequest, resourcePath: string, pathParameters: Readonly<Record<string, string>>, context: RequestContext): Record<string, unknown> {
  const nullIfEmpty = <T extends object>(o: T): T | null => (Object.keys(o).length > 0 ? o : null);
  const text = request.body.toString('utf8');
  const binary = request.body.length > 0 && Buffer.from(text, 'utf8').compare(request.body) !== 0;
  return {
    resource: resourcePath,
    path: decodePath(request.path),
    httpMethod: request.method,
    headers: nullIfEmpty(singleValues(request.headers)),
    // Shared, not copied: the event leaves as JSON text (see sandbox.ts), so nothing can change them.
    multiValueHeaders: nullIfEmpty(request.headers),
    queryStringParameters: nullIfEmpty(singleValues(request.query)),
    multiValueQueryStringParameters: nullIfEmpty(request.query),
    pathParameters: nullIfEmpty({ ...pathParameters }),
    stageVariables: null,
    requestContext: { ...context, requestOverride: undefined, responseOverride: undefined },
    body: request.body.length === 0 ? null : binary ? request.body.toString('base64') : text,
    isBase64Encoded: binary,
  };
}

function decodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

export type ProxyResult = { readonly ok: true; readonly response: LocalResponse } | { readonly ok: false; readonly reason: string };

export function proxyResponse(result: unknown, integration: string): ProxyResult {
  if (typeof result !== 'object' || result === null) return { ok: false, reason: 'the function returned no object' };
  const r = result as Record<string, unknown>;
  const status = typeof r.statusCode === 'string' ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return { ok: false, reason: 'statusCode is missing or not an HTTP status' };
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return { ok: false, reason: 'body is not a string' };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((r.multiValueHeaders ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) headers[k.toLowerCase()] = v.map(String).join(', ');
  }
  for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
  const body = typeof r.body === 'string' ? (r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : r.body) : '';
  if (headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  return { ok: true, response: { status, headers, body, integration } };
}
