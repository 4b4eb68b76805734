import { App, TerraformStack, Testing } from 'cdktf';
import { RestApi } from '../../lib/constructs/rest-api/rest-api';
import { ServiceRole } from '../../lib/constructs/service-role';
import { onlyResource, resourcesOf, synthJson, testStack, TfJson } from '../support/synth';

/** A stack holding one RestApi with AWS integrations; `extra` adds more routes. */
function synth(configure: (api: RestApi, role: ServiceRole) => void): TfJson {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, 'rest-api-test');
  const role = new ServiceRole(stack, 'Role', { name: 'r', service: 'apigateway.amazonaws.com', statements: [{ actions: ['dynamodb:PutItem'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/t'] }] });
  const api = new RestApi(stack, 'Api', { name: 'test', logRetentionDays: 7, rateLimit: 10, burstLimit: 20 });
  configure(api, role);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

const putItem = (role: ServiceRole, template = '{"TableName":"t"}') =>
  ({
    type: 'AWS',
    uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
    credentials: role.arn,
    requestTemplates: { 'application/json': template },
    responses: [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '4\\d{2}' }],
  }) as const;

const trigger = (tf: TfJson) => (onlyResource(tf, 'aws_api_gateway_deployment').triggers as Record<string, string>).definition;

describe('RestApi deployment trigger', () => {
  const base = synth((api, role) => api.addMethod('POST', '/items', { integration: putItem(role) }));

  it('is stable for the same definition', () => {
    expect(trigger(synth((api, role) => api.addMethod('POST', '/items', { integration: putItem(role) })))).toBe(trigger(base));
  });

  it('changes when a mapping template changes', () => {
    expect(trigger(synth((api, role) => api.addMethod('POST', '/items', { integration: putItem(role, '{"TableName":"u"}') })))).not.toBe(trigger(base));
  });

  it('changes when a route is added', () => {
    const more = synth((api, role) => {
      api.addMethod('POST', '/items', { integration: putItem(role) });
      api.addMethod('PUT', '/items/{id}', { integration: putItem(role) });
    });
    expect(trigger(more)).not.toBe(trigger(base));
  });

  it('changes when a method starts requiring an API key', () => {
    expect(trigger(synth((api, role) => api.addMethod('POST', '/items', { integration: putItem(role), apiKeyRequired: true })))).not.toBe(trigger(base));
  });

  it('changes when a model changes', () => {
    const withModel = (maxLength: number) =>
      synth((api, role) => {
        const model = api.addModel('Item', { type: 'object', properties: { name: { type: 'string', maxLength } } });
        api.addMethod('POST', '/items', { integration: putItem(role), requestModel: model });
      });
    expect(trigger(withModel(10))).not.toBe(trigger(withModel(20)));
  });
});

describe('RestApi AWS integrations', () => {
  const tf = synth((api, role) =>
    api.addMethod('POST', '/items', { integration: putItem(role), requestModel: api.addModel('Item', { type: 'object', required: ['name'] }) }),
  );

  it('refuses unmapped content types instead of passing them through', () => {
    expect(onlyResource(tf, 'aws_api_gateway_integration')).toMatchObject({ type: 'AWS', passthrough_behavior: 'NEVER', integration_http_method: 'POST' });
  });

  it('declares a method response per integration response and orders integration responses after the integration', () => {
    expect(Object.values(resourcesOf(tf, 'aws_api_gateway_method_response')).map((r) => r.status_code).sort()).toEqual(['200', '400']);
    for (const response of Object.values(resourcesOf(tf, 'aws_api_gateway_integration_response'))) {
      expect(response.depends_on).toEqual([expect.stringMatching(/^aws_api_gateway_integration\./)]);
    }
    const patterns = Object.values(resourcesOf(tf, 'aws_api_gateway_integration_response')).map((r) => r.selection_pattern ?? null);
    expect(patterns.sort()).toEqual(['4\\d{2}', null].sort());
  });

  it('validates bodies against a draft-4 model', () => {
    expect(onlyResource(tf, 'aws_api_gateway_request_validator')).toMatchObject({ validate_request_body: true, validate_request_parameters: false });
    const model = onlyResource(tf, 'aws_api_gateway_model');
    expect(JSON.parse(String(model.schema))).toEqual({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'Item', type: 'object', required: ['name'] });
    expect(onlyResource(tf, 'aws_api_gateway_method').request_models).toEqual({ 'application/json': '${aws_api_gateway_model.Api_ModelItem_6E678029.name}' });
  });

  it('rejects an AWS integration without exactly one default response', () => {
    expect(() =>
      synth((api, role) => api.addMethod('POST', '/x', { integration: { ...putItem(role), responses: [{ statusCode: '200', selectionPattern: '2\\d{2}' }] } })),
    ).toThrow(/POST \/x needs exactly one integration response without selectionPattern \(the default\); it has 0/);
  });

  it('rejects malformed paths and model names with the fix', () => {
    expect(() => synth((api, role) => api.addMethod('GET', 'items//x', { integration: putItem(role) }))).toThrow(/Invalid API path "items\/\/x": use segments like/);
    expect(() => synth((api) => api.addModel('my-model', {}))).toThrow(/model name "my-model" must be alphanumeric/);
  });
});

describe('RestApi: only documented API Gateway mechanisms', () => {
  const stack = testStack();
  new RestApi(stack, 'Api', { name: 'api', logRetentionDays: 7, rateLimit: 1, burstLimit: 1 });
  const tf = synthJson(stack);

  // Gateway-response header values: method request parameters or static 'strings' only.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseParameters.html
  it('maps gateway-response headers only from request parameters or static values', () => {
    const values = Object.values(resourcesOf(tf, 'aws_api_gateway_gateway_response')).flatMap((r) => Object.values((r.response_parameters ?? {}) as Record<string, string>));
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value).toMatch(/^('[^']*'|method\.request\.(header|querystring|path)\.[A-Za-z0-9_.-]+)$/);
  });

  // API Gateway substitutes $context values into the access-log format without escaping them.
  it('writes access-log lines that stay JSON whatever the error message holds, and no client-controlled text', () => {
    const format = String((onlyResource(tf, 'aws_api_gateway_stage').access_log_settings as { format: string }).format);
    expect(format).not.toMatch(/validationErrorString|userAgent/);
    const worstCase = format
      .replace('$context.error.messageString', JSON.stringify('Invalid "request" body \\ with quotes'))
      .replace(/\$context\.[A-Za-z.]+/g, 'x-1');
    expect(() => JSON.parse(worstCase)).not.toThrow();
    expect(JSON.parse(worstCase).errorMessage).toBe('Invalid "request" body \\ with quotes');
  });
});

describe('RestApi execution logs', () => {
  const tf = synth(() => undefined);

  // API Gateway creates API-Gateway-Execution-Logs_{restApiId}/{stageName} itself on the first error
  // it logs; ours must exist before logging can be on, or its create fails as already existing.
  it('owns the execution-log group the stage logs to, and the stage waits for it', () => {
    const [groupId, group] = Object.entries(resourcesOf(tf, 'aws_cloudwatch_log_group')).find(([, g]) => String(g.name).startsWith('API-Gateway-Execution-Logs_'))!;
    const stage = onlyResource(tf, 'aws_api_gateway_stage');
    expect(group.name).toBe(`API-Gateway-Execution-Logs_\${aws_api_gateway_rest_api.${Object.keys(resourcesOf(tf, 'aws_api_gateway_rest_api'))[0]}.id}/${String(stage.stage_name)}`);
    expect(stage.depends_on).toEqual(expect.arrayContaining([`aws_cloudwatch_log_group.${groupId}`]));
    // Logging is turned on by the method settings, which name the stage and so come after it.
    expect(String(onlyResource(tf, 'aws_api_gateway_method_settings').stage_name)).toMatch(/^\$\{aws_api_gateway_stage\./);
  });
});
