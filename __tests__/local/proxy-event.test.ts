import { proxyEvent, proxyResponse } from '../../local/rest/proxy-event';
import { newRequestContext } from '../../local/rest/request-context';
import { LocalRequest } from '../../local/server/http-types';

// AWS: "Lambda proxy integrations in API Gateway": input format 1.0 and output format
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
const request: LocalRequest = {
  method: 'PUT',
  path: '/customers/abc',
  rawPath: '/api/v1/customers/abc',
  rawQuery: 'a=1&a=2',
  query: { a: ['1', '2'] },
  headers: { 'content-type': ['application/json'], 'x-api-key': ['k'] },
  body: Buffer.from('{"name":"x"}'),
  sourceIp: '127.0.0.1',
  host: '127.0.0.1:4010',
};

describe('Lambda proxy integration (payload 1.0)', () => {
  it('builds the documented event: single and multi-value maps, path parameters, context with the stage in its path', () => {
    const ctx = newRequestContext({ accountId: '123456789012', apiId: 'api', stage: 'v1', httpMethod: 'PUT', path: '/customers/abc', host: 'h', sourceIp: '127.0.0.1' });
    const event = proxyEvent(request, '/customers/{customerId}', { customerId: 'abc' }, ctx) as Record<string, any>;
    expect(event).toMatchObject({
      resource: '/customers/{customerId}',
      path: '/customers/abc',
      httpMethod: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      multiValueHeaders: { 'content-type': ['application/json'] },
      queryStringParameters: { a: '2' },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      pathParameters: { customerId: 'abc' },
      stageVariables: null,
      body: '{"name":"x"}',
      isBase64Encoded: false,
    });
    expect(event.requestContext).toMatchObject({ path: '/v1/customers/abc', stage: 'v1', requestId: ctx.requestId, accountId: '123456789012' });
  });

  it('gives null for absent maps and body', () => {
    const ctx = newRequestContext({ accountId: '1', apiId: 'a', stage: 'v1', httpMethod: 'GET', path: '/', host: 'h', sourceIp: 'x' });
    const event = proxyEvent({ ...request, query: {}, body: Buffer.alloc(0) }, '/', {}, ctx) as Record<string, unknown>;
    expect(event).toMatchObject({ queryStringParameters: null, pathParameters: null, body: null });
  });

  it('maps the function\'s result to status, headers and body; base64 bodies are decoded', () => {
    const ok = proxyResponse({ statusCode: 201, headers: { Location: '/v1/x' }, multiValueHeaders: { 'Set-Cookie': ['a', 'b'] }, body: '{}' }, 'fn');
    expect(ok).toEqual({ ok: true, response: { status: 201, headers: { location: '/v1/x', 'set-cookie': 'a, b', 'content-type': 'application/json' }, body: '{}', integration: 'fn' } });
    const binary = proxyResponse({ statusCode: 200, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true }, 'fn');
    expect(binary.ok && binary.response.body).toEqual(Buffer.from('hi'));
  });

  it('refuses a malformed result (502 on AWS)', () => {
    expect(proxyResponse('hello', 'fn').ok).toBe(false);
    expect(proxyResponse({ body: '{}' }, 'fn').ok).toBe(false);
    expect(proxyResponse({ statusCode: 200, body: { not: 'a string' } }, 'fn').ok).toBe(false);
  });
});
