import { renderMappingTemplate } from '../vtl/renderer';
import { LocalResponse } from '../server/http-types';
import { GatewayResponseDefinition } from './definition';
import { RequestContext } from './request-context';

/**
 * Gateway responses: what API Gateway answers when it refuses a request itself (no route, bad API
 * key, failed validation, unsupported media type, integration failure). A deployed response of
 * the type wins; else the deployed DEFAULT_4XX / DEFAULT_5XX; else AWS's built-in JSON message.
 * Templates see `$context.error.message`, `messageString` (the quoted message), `responseType`
 * and `validationErrorString`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */
export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'REQUEST_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX';

/** Default status of each type, from the supported-gateway-response-types page. */
export const GATEWAY_RESPONSE_STATUS: Readonly<Record<GatewayResponseType, number>> = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  BAD_REQUEST_BODY: 400,
  BAD_REQUEST_PARAMETERS: 400,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  REQUEST_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DEFAULT_4XX: 400,
  DEFAULT_5XX: 500,
};

export interface GatewayError {
  readonly type: GatewayResponseType;
  readonly message: string;
  /** Overrides the type's default status (e.g. 502 for a malformed Lambda proxy response, as AWS answers). */
  readonly status?: number;
  readonly validationErrorString?: string;
}

export function gatewayResponse(
  error: GatewayError,
  deployed: ReadonlyMap<string, GatewayResponseDefinition>,
  context: RequestContext,
  requestHeaders: Readonly<Record<string, string>>,
): LocalResponse {
  const defaultStatus = error.status ?? GATEWAY_RESPONSE_STATUS[error.type];
  const family = defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const definition = deployed.get(error.type) ?? deployed.get(family);
  const status = definition?.statusCode && deployed.get(error.type) ? Number(definition.statusCode) : defaultStatus;
  const errorContext = {
    message: error.message,
    messageString: JSON.stringify(error.message),
    responseType: error.type,
    validationErrorString: error.validationErrorString ?? '',
  };
  const vtlContext = { ...context, error: errorContext, status };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let body = JSON.stringify({ message: error.message });
  const template = definition?.responseTemplates['application/json'] ?? Object.values(definition?.responseTemplates ?? {})[0];
  if (template !== undefined) {
    body = renderMappingTemplate(template, { context: vtlContext, kind: 'response' }).output;
  }
  for (const [target, source] of Object.entries(definition?.responseParameters ?? {})) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
    if (!name) continue;
    const value = parameterValue(source, errorContext, context, requestHeaders);
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  headers['x-amzn-errortype'] = error.type;
  return { status, headers, body, integration: `gateway ${error.type}` };
}

/** `'literal'`, `context.error.x`, `context.x`, `method.request.header.x` (the sources a gateway response may map). */
function parameterValue(
  source: string,
  error: Record<string, string>,
  context: RequestContext,
  requestHeaders: Readonly<Record<string, string>>,
): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const errorField = /^context\.error\.(.+)$/.exec(source)?.[1];
  if (errorField) return error[errorField];
  const contextField = /^context\.(.+)$/.exec(source)?.[1];
  if (contextField) {
    const value = (context as unknown as Record<string, unknown>)[contextField];
    return value === undefined || value === null ? undefined : String(value);
  }
  const requestHeader = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
  if (requestHeader) return requestHeaders[requestHeader.toLowerCase()];
  return undefined;
}
