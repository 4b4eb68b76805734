import { Construct } from 'constructs';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';

/**
 * The answers API Gateway gives on its own (no integration reached): JSON like every other answer
 * of our APIs, instead of its default bodies.
 */

const JSON_ERROR_BODY = '{"message":$context.error.messageString,"type":"$context.error.responseType","requestId":"$context.requestId"}';

export interface GatewayResponsesOptions {
  /** Answer an unknown path with 404 instead of API Gateway's 403 "Missing Authentication Token". */
  readonly unknownRouteIsNotFound: boolean;
}

export function addGatewayResponses(api: Construct, restApiId: string, options: GatewayResponsesOptions): void {
  const add = (responseType: string, statusCode?: string, responseParameters: Record<string, string> = {}, body = JSON_ERROR_BODY) =>
    new ApiGatewayGatewayResponse(api, `GatewayResponse${responseType}`, {
      restApiId,
      responseType,
      statusCode,
      responseTemplates: { 'application/json': body },
      responseParameters: { 'gatewayresponse.header.Content-Type': "'application/json'", ...responseParameters },
    });

  add('DEFAULT_4XX');
  add('DEFAULT_5XX');
  add('BAD_REQUEST_BODY', undefined, {
    // Gateway responses are not VTL: the validator's detail can contain quotes that would break a
    // JSON body, so it travels in a header instead.
    'gatewayresponse.header.x-validation-error': 'context.error.validationErrorString',
  });
  if (options.unknownRouteIsNotFound) {
    add('MISSING_AUTHENTICATION_TOKEN', '404', {}, '{"message":"No route matches this method and path","requestId":"$context.requestId"}');
  }
}
