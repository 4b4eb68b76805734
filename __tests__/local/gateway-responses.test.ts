import { gatewayResponse } from '../../local/rest/gateway-responses';
import { GatewayResponseDefinition } from '../../local/rest/definition';
import { newRequestContext } from '../../local/rest/request-context';

// AWS: "Gateway response types for API Gateway" and "Set up gateway responses"
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
const body = '{"message":$context.error.messageString,"type":"$context.error.responseType","requestId":"$context.requestId"}';
const deployed = new Map<string, GatewayResponseDefinition>([
  ['DEFAULT_4XX', { responseParameters: { 'gatewayresponse.header.Content-Type': "'application/json'" }, responseTemplates: { 'application/json': body } }],
  [
    'BAD_REQUEST_BODY',
    {
      responseParameters: { 'gatewayresponse.header.x-validation-error': 'context.error.validationErrorString' },
      responseTemplates: { 'application/json': body },
    },
  ],
  ['MISSING_AUTHENTICATION_TOKEN', { statusCode: '404', responseParameters: {}, responseTemplates: { 'application/json': '{"message":"No route"}' } }],
]);
const ctx = newRequestContext({ accountId: '1', apiId: 'a', stage: 'v1', httpMethod: 'GET', path: '/', host: 'h', sourceIp: '127.0.0.1' });

describe('gateway responses', () => {
  it('uses the deployed response of the type, with its status code and template', () => {
    const r = gatewayResponse({ type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' }, deployed, ctx, {});
    expect(r.status).toBe(404);
    expect(r.body).toBe('{"message":"No route"}');
  });

  it('maps context.error.validationErrorString into a header and quotes the message with messageString', () => {
    const r = gatewayResponse({ type: 'BAD_REQUEST_BODY', message: 'Invalid "request" body', validationErrorString: '[x]' }, deployed, ctx, {});
    expect(r.status).toBe(400);
    expect(r.headers['x-validation-error']).toBe('[x]');
    expect(JSON.parse(r.body as string)).toEqual({ message: 'Invalid "request" body', type: 'BAD_REQUEST_BODY', requestId: ctx.requestId });
  });

  it('falls back to DEFAULT_4XX with the type\'s default status', () => {
    const r = gatewayResponse({ type: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' }, deployed, ctx, {});
    expect(r.status).toBe(415);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body as string).type).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers AWS\'s built-in JSON message when nothing is deployed', () => {
    const r = gatewayResponse({ type: 'INVALID_API_KEY', message: 'Forbidden' }, new Map(), ctx, {});
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body as string)).toEqual({ message: 'Forbidden' });
  });
});
