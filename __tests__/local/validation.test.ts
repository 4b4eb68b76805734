import { validateRequest, ValidationInput } from '../../local/rest/validation';

// AWS: "Request validation for REST APIs in API Gateway"
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
const schema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['username', 'message'],
  additionalProperties: false,
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, message: { type: 'string', minLength: 1, maxLength: 5 } },
});

function input(overrides: Partial<ValidationInput>): ValidationInput {
  return {
    method: { requestModels: { 'application/json': 'Comment' }, requestParameters: { 'method.request.querystring.shard-id': true, 'method.request.header.Shard-Iterator': false } },
    validator: { validateRequestBody: true, validateRequestParameters: true },
    models: new Map([['Comment', schema]]),
    contentType: 'application/json',
    body: '{"username":"a","message":"b"}',
    pathParameters: {},
    query: { 'shard-id': ['s'] },
    headers: {},
    ...overrides,
  };
}

describe('request validators (API Gateway request validation docs)', () => {
  it('accepts a request with its required parameters and a body matching the model', () => {
    expect(validateRequest(input({}))).toBeUndefined();
  });

  it('answers BAD_REQUEST_PARAMETERS naming each missing required parameter', () => {
    expect(validateRequest(input({ query: {} }))).toEqual({ type: 'BAD_REQUEST_PARAMETERS', message: 'Missing required request parameters: [shard-id]' });
  });

  it('answers BAD_REQUEST_BODY with json-schema-validator wording in validationErrorString', () => {
    expect(validateRequest(input({ body: '{"username":"a"}' }))).toEqual({
      type: 'BAD_REQUEST_BODY',
      message: 'Invalid request body',
      validationErrorString: '[object has missing required properties (["message"])]',
    });
    expect(validateRequest(input({ body: '{"username":"a","message":"b","admin":true}' }))?.validationErrorString).toBe(
      '[object instance has properties which are not allowed by the schema: ["admin"]]',
    );
    expect(validateRequest(input({ body: '{"username":"a","message":"toolong"}' }))?.validationErrorString).toMatch(/is too long \(length: 7, maximum allowed: 5\)/);
    expect(validateRequest(input({ body: '{"username":1,"message":"b"}' }))?.validationErrorString).toMatch(/instance type \(integer\) does not match any allowed primitive type \(allowed: \["string"\]\)/);
  });

  it('refuses a body that is not JSON', () => {
    expect(validateRequest(input({ body: '{"username":' }))).toMatchObject({ type: 'BAD_REQUEST_BODY', message: 'Invalid request body' });
  });

  it('validates nothing without a validator, and no body for a content type without a model', () => {
    expect(validateRequest(input({ validator: undefined, body: 'nope' }))).toBeUndefined();
    expect(validateRequest(input({ contentType: 'text/plain', body: 'x' }))).toBeUndefined();
  });
});
