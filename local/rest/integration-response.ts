import { IntegrationResponse } from '@aws-sdk/client-api-gateway';
import { renderMappingTemplate, VtlInputError } from '../vtl/renderer';
import { ServiceResponse } from '../aws/service-call';
import { RequestContext } from './request-context';

/**
 * The method response of an `AWS` integration: the integration response whose selection pattern
 * matches the backend's HTTP status (the whole status, as Java's String.matches), else the default
 * one (no pattern); its template for the client's Accept type (else the first); then
 * `$context.responseOverride` and the response parameter mappings.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
 */
export interface MappedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function selectIntegrationResponse(responses: Readonly<Record<string, IntegrationResponse>>, backendStatus: number): IntegrationResponse | undefined {
  const all = Object.values(responses);
  const status = String(backendStatus);
  const matched = all.find((r) => r.selectionPattern !== undefined && r.selectionPattern !== '' && new RegExp(`^(?:${r.selectionPattern})$`, 's').test(status));
  return matched ?? all.find((r) => r.selectionPattern === undefined || r.selectionPattern === '');
}

/**
 * The method request's parameters, which `$input.params(...)` reads in a response template too: AWS
 * defines `$input.params(x)` as "the value of a method request parameter from the path, query
 * string, or header value (searched in that order)", for mapping templates without distinguishing
 * request from response ones, while `$input.body`/`json`/`path` read the integration response there.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
 * (the widely used CORS recipe echoing `$input.params('Origin')` from an integration response
 * template relies on the same behaviour).
 */
export interface MethodRequestParameters {
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly queryStringParameters?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

export function mapIntegrationResponse(
  responses: Readonly<Record<string, IntegrationResponse>>,
  backend: ServiceResponse,
  context: RequestContext,
  accept: string | undefined,
  methodRequest: MethodRequestParameters = {},
): MappedResponse | undefined {
  const chosen = selectIntegrationResponse(responses, backend.status);
  if (!chosen) return undefined;
  const templates = chosen.responseTemplates ?? {};
  const accepted = (accept ?? '').split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  const contentType = accepted.find((t) => templates[t] !== undefined) ?? (templates['application/json'] !== undefined ? 'application/json' : Object.keys(templates)[0]);
  let body = backend.body;
  const vtlContext = { ...context, responseOverride: { header: {} as Record<string, string>, status: undefined as number | undefined } };
  let renderedContext: Record<string, unknown> = vtlContext as unknown as Record<string, unknown>;
  if (contentType !== undefined && templates[contentType] !== undefined && templates[contentType] !== '') {
    try {
      const rendered = renderMappingTemplate(templates[contentType], {
        body: backend.body,
        pathParameters: { ...methodRequest.pathParameters },
        queryStringParameters: { ...methodRequest.queryStringParameters },
        headers: { ...methodRequest.headers },
        context: vtlContext as unknown as Record<string, unknown>,
        kind: 'response',
      });
      body = rendered.output;
      renderedContext = rendered.context;
    } catch (error) {
      if (error instanceof VtlInputError) return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal server error' }) };
      throw error;
    }
  }
  const headers: Record<string, string> = { 'content-type': contentType ?? 'application/json' };
  for (const [target, source] of Object.entries(chosen.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
    if (!name) continue;
    const value = responseParameter(source, backend, context);
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const override = (renderedContext.responseOverride ?? {}) as { status?: unknown; header?: Record<string, unknown> };
  for (const [name, value] of Object.entries(override.header ?? {})) headers[name.toLowerCase()] = String(value);
  const overriddenStatus = Number(override.status);
  const status = Number.isInteger(overriddenStatus) && overriddenStatus >= 100 && overriddenStatus <= 599 ? overriddenStatus : Number(chosen.statusCode ?? 200);
  return { status, headers, body };
}

function responseParameter(source: string, backend: ServiceResponse, context: RequestContext): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const headerName = /^integration\.response\.header\.(.+)$/.exec(source)?.[1];
  if (headerName) return backend.headers[headerName.toLowerCase()];
  if (source === 'integration.response.body') return backend.body;
  const jsonPath = /^integration\.response\.body\.(.+)$/.exec(source)?.[1];
  if (jsonPath) {
    try {
      let value: unknown = JSON.parse(backend.body);
      for (const key of jsonPath.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
      return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    } catch {
      return undefined;
    }
  }
  const contextField = /^context\.(.+)$/.exec(source)?.[1];
  if (contextField) {
    const value = (context as unknown as Record<string, unknown>)[contextField];
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}
