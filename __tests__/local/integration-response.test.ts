import { mapIntegrationResponse, selectIntegrationResponse } from '../../local/rest/integration-response';
import { newRequestContext } from '../../local/rest/request-context';

// AWS: "Integration responses for REST APIs" (selection patterns, default response)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
// AWS: "Override your API's request and response parameters and status codes" ($context.responseOverride)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-override-request-response-parameters.html
const responses = {
  '201': { statusCode: '201', selectionPattern: '2\\d{2}', responseTemplates: { 'application/json': '{"id": "$context.requestId"}' } },
  '400': {
    statusCode: '400',
    selectionPattern: '4\\d{2}',
    responseTemplates: {
      'application/json': "#if($input.path('$.__type').endsWith('ConditionalCheckFailedException'))#set($context.responseOverride.status = 409)#set($context.responseOverride.header.X-Reason = 'replay')#end{\"type\": \"$input.path('$.__type')\"}",
    },
    responseParameters: { 'method.response.header.X-Static': "'yes'", 'method.response.header.X-Request': 'integration.response.header.x-amzn-requestid' },
  },
  '503': { statusCode: '503', responseTemplates: { 'application/json': '{"message":"unavailable"}' } },
};
const context = () => newRequestContext({ accountId: '123456789012', apiId: 'api', stage: 'v1', httpMethod: 'POST', path: '/comment', host: 'localhost', sourceIp: '127.0.0.1' });

describe('integration response selection and mapping', () => {
  it('matches the selection pattern against the whole backend status, else takes the default', () => {
    expect(selectIntegrationResponse(responses, 200)?.statusCode).toBe('201');
    expect(selectIntegrationResponse(responses, 400)?.statusCode).toBe('400');
    expect(selectIntegrationResponse(responses, 500)?.statusCode).toBe('503');
    // "2\d{2}" must not match inside "1200".
    expect(selectIntegrationResponse(responses, 1200)?.statusCode).toBe('503');
  });

  it('renders the response template with $context', () => {
    const ctx = context();
    const mapped = mapIntegrationResponse(responses, { status: 200, headers: {}, body: '{}' }, ctx, undefined);
    expect(mapped).toEqual({ status: 201, headers: { 'content-type': 'application/json' }, body: `{"id": "${ctx.requestId}"}` });
  });

  it('applies $context.responseOverride status and headers set by the template, and response parameter mappings', () => {
    const mapped = mapIntegrationResponse(
      responses,
      { status: 400, headers: { 'x-amzn-requestid': 'r-1' }, body: '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"}' },
      context(),
      'application/json',
    );
    expect(mapped?.status).toBe(409);
    expect(mapped?.headers).toMatchObject({ 'x-static': 'yes', 'x-request': 'r-1', 'x-reason': 'replay' });
    expect(JSON.parse(mapped!.body)).toEqual({ type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' });
  });
});

describe('$input.params in a response template', () => {
  // AWS: $input.params(x) is a METHOD REQUEST parameter (path, then query string, then header), in
  // any mapping template; $input.body/json/path read the integration response there.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
  const echo = {
    default: {
      statusCode: '400',
      responseTemplates: { 'application/json': "{\"shard\": \"$input.params('shard-id')\", \"stream\": \"$input.params('stream-name')\", \"origin\": \"$input.params('Origin')\", \"type\": \"$input.path('$.__type')\"}" },
    },
  };

  it('reads the method request\'s path, query string and headers, and the body is still the integration response', () => {
    const mapped = mapIntegrationResponse(echo, { status: 400, headers: {}, body: '{"__type":"InvalidArgumentException"}' }, context(), undefined, {
      pathParameters: { 'stream-name': 'events' },
      queryStringParameters: { 'shard-id': 'shardId-000000000009' },
      headers: { origin: 'https://example.com' },
    });
    expect(JSON.parse(mapped!.body)).toEqual({ shard: 'shardId-000000000009', stream: 'events', origin: 'https://example.com', type: 'InvalidArgumentException' });
  });

  it('gives "" for a parameter the request did not send', () => {
    const mapped = mapIntegrationResponse(echo, { status: 400, headers: {}, body: '{}' }, context(), undefined);
    expect(JSON.parse(mapped!.body)).toMatchObject({ shard: '', stream: '', origin: '' });
  });
});
