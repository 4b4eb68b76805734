import { Construct } from 'constructs';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';

/**
 * The answers API Gateway gives on its own (no integration reached): JSON like every other answer
 * of our APIs, instead of its default bodies.
 */

/**
 * Gateway-response templates are not VTL: API Gateway only substitutes `$context` values (and stage
 * variables, method request parameters). `$context.error.messageString` is documented as the
 * *quoted* message, so it is safe in JSON; the response type and request id hold no quotes.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
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
  // No validator detail for a refused body: AWS documents gateway-response header values only as
  // method request parameters or static strings (not `context.error.validationErrorString`), and
  // that string holds double quotes that would break a JSON body, which cannot escape them. Clients
  // get the documented model limits instead (README).
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseParameters.html
  add('BAD_REQUEST_BODY');
  if (options.unknownRouteIsNotFound) {
    add('MISSING_AUTHENTICATION_TOKEN', '404', {}, '{"message":"No route matches this method and path","requestId":"$context.requestId"}');
  }
}
