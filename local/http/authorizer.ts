import { FunctionRegistry } from '../lambda/functions';
import { LocalRequest } from '../server/http-types';
import { HttpAuthorizer } from './definition';
import { evaluateExpression, HttpRequestData } from './request-data';

/**
 * A REQUEST Lambda authorizer of an HTTP API, payload format 2.0. Every identity source must be
 * present, or the answer is 401 without invoking the function; the decision is cached per
 * identity-source values for the authorizer's TTL; with simple responses the function answers
 * `{isAuthorized, context?}`. A failing authorizer is a 500.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export type AuthorizerDecision =
  | { readonly kind: 'allow'; readonly context: Record<string, unknown>; readonly cached: boolean }
  | { readonly kind: 'unauthorized' | 'forbidden' | 'error'; readonly cached: boolean };

// Bounded: at most this many distinct identities are remembered per authorizer.
const MAX_CACHE_ENTRIES = 10_000;

export class AuthorizerRunner {
  private readonly cache = new Map<string, { decision: AuthorizerDecision; expires: number }>();

  constructor(
    private readonly authorizer: HttpAuthorizer,
    private readonly functions: FunctionRegistry,
    private readonly routeArn: string,
  ) {}

  async decide(data: HttpRequestData): Promise<AuthorizerDecision> {
    const identity = this.authorizer.identitySources.map((source) => evaluateExpression(source, data));
    if (identity.some((v) => v === undefined || v === '')) return { kind: 'unauthorized', cached: false };
    const key = JSON.stringify(identity);
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now()) return { ...hit.decision, cached: true };

    const decision = await this.invoke(data, identity as string[]);
    if (this.authorizer.ttlSeconds > 0 && decision.kind !== 'error') {
      if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { decision, expires: Date.now() + this.authorizer.ttlSeconds * 1000 });
    }
    return decision;
  }

  private async invoke(data: HttpRequestData, identitySource: string[]): Promise<AuthorizerDecision> {
    const request = data.request;
    const event = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: this.routeArn,
      identitySource,
      routeKey: data.context.routeKey,
      rawPath: request.path,
      rawQueryString: request.rawQuery,
      cookies: request.headers.cookie ? request.headers.cookie.flatMap((c) => c.split(';').map((x) => x.trim())) : undefined,
      headers: headersOf(request),
      queryStringParameters: Object.keys(request.query).length > 0 ? Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, v.join(',')])) : undefined,
      requestContext: data.context,
      pathParameters: Object.keys(data.pathParameters).length > 0 ? data.pathParameters : undefined,
      stageVariables: undefined,
    };
    try {
      const fn = await this.functions.get(this.authorizer.uri);
      const outcome = await fn.invoke(event);
      if (!outcome.ok) return { kind: 'error', cached: false };
      const result = outcome.result as { isAuthorized?: unknown; context?: Record<string, unknown> } | null;
      if (!this.authorizer.simpleResponses || typeof result?.isAuthorized !== 'boolean') return { kind: 'error', cached: false };
      return result.isAuthorized ? { kind: 'allow', context: result.context ?? {}, cached: false } : { kind: 'forbidden', cached: false };
    } catch {
      return { kind: 'error', cached: false };
    }
  }
}

/** Payload 2.0 headers: lower-case names, repeated values joined with commas. */
export function headersOf(request: LocalRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, v.join(',')]));
}

