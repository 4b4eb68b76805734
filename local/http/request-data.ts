import * as crypto from 'crypto';
import { header, LocalRequest, singleValues } from '../server/http-types';
import { clfTime } from '../rest/request-context';

/**
 * What an HTTP API request exposes to identity sources and parameter mappings:
 * `$request.header.x`, `$request.querystring.x`, `$request.path.x`, `$request.body` (and
 * `$request.body.a.b`), `$context.x`, `$stageVariables.x`, or a static value; `${...}` may be
 * embedded in text.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
 */
export interface HttpRequestData {
  readonly request: LocalRequest;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly context: Record<string, unknown>;
}

export function httpContext(request: LocalRequest, apiId: string, stage: string, routeKey: string, accountId: string): Record<string, unknown> {
  const now = Date.now();
  return {
    accountId,
    apiId,
    domainName: request.host,
    domainPrefix: request.host.split('.')[0],
    http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: header(request, 'user-agent') ?? '' },
    requestId: crypto.randomBytes(10).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 14) + '=',
    routeKey,
    stage,
    time: clfTime(now),
    timeEpoch: now,
  };
}

/** Evaluates one mapping expression; undefined when a selected part is missing. */
export function evaluateExpression(expression: string, data: HttpRequestData): string | undefined {
  const whole = /^\$(request\.[A-Za-z]+(?:\.[^\s${}]+)?|context\.[A-Za-z.]+|stageVariables\.[A-Za-z0-9_]+)$/.exec(expression);
  if (whole) return select(whole[1], data);
  if (!expression.includes('${')) return expression;
  let missing = false;
  const text = expression.replace(/\$\{([^}]+)\}/g, (_m, ref: string) => {
    const value = select(ref, data);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : text;
}

function select(reference: string, data: HttpRequestData): string | undefined {
  const [root, kind, ...rest] = reference.split('.');
  const name = rest.join('.');
  if (root === 'request') {
    if (kind === 'body') {
      const body = data.request.body.toString('utf8');
      if (name === '') return body;
      try {
        let value: unknown = JSON.parse(body);
        for (const key of name.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
        return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
      } catch {
        return undefined;
      }
    }
    if (kind === 'header') return header(data.request, name);
    if (kind === 'querystring') return singleValues(data.request.query)[name];
    if (kind === 'path') return data.pathParameters[name];
    return undefined;
  }
  if (root === 'context') {
    let value: unknown = data.context;
    for (const key of [kind, ...rest]) value = (value as Record<string, unknown> | undefined)?.[key];
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}
