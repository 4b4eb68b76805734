import Ajv from 'ajv-draft-04';
import { kinesisClientErrorTemplate, kinesisRequestTemplate, kinesisSuccessTemplate, KINESIS_SERVER_ERROR_TEMPLATE, PUT_RECORD_SCHEMA } from '../../lib/constructs/kinesis-rest-proxy/templates';
import { TEXT_PATTERN } from '../../lambdas/shared/text-patterns';
import { roleStatements } from '../support/iam';
import { requestTemplateOf, responseTemplateOf, routesOf } from '../support/routes';
import { describeRegistration } from '../support/stack-registration';
import { appStack, onlyResource, policyStatements, ref, resourcesOf } from '../support/synth';

const tf = appStack('apigw-kinesis-putrecord');
const routes = routesOf(tf);
const streams = [
  { shortName: 'orders', physicalName: 'sp-dev-kput-orders' },
  { shortName: 'clicks', physicalName: 'sp-dev-kput-clicks' },
];
const streamIds = Object.fromEntries(Object.entries(resourcesOf(tf, 'aws_kinesis_stream')).map(([id, s]) => [s.name, id]));

describeRegistration('apigw-kinesis-putrecord', tf);

describe('kinesis putrecord stack: streams', () => {
  it('creates the configured streams (default orders, clicks), prefixed, KMS-encrypted', () => {
    const created = Object.values(resourcesOf(tf, 'aws_kinesis_stream'));
    expect(created).toHaveLength(2);
    expect(created).toEqual(
      expect.arrayContaining(streams.map((s) => expect.objectContaining({ name: s.physicalName, encryption_type: 'KMS', kms_key_id: 'alias/aws/kinesis' }))),
    );
  });

  it('follows PIPELINES_PUTRECORD_STREAMS', () => {
    const custom = appStack('apigw-kinesis-putrecord', { PIPELINES_PUTRECORD_STREAMS: 'telemetry' });
    expect(Object.values(resourcesOf(custom, 'aws_kinesis_stream')).map((s) => s.name)).toEqual(['sp-dev-kput-telemetry']);
    expect(requestTemplateOf(routesOf(custom)['PUT /{stream-name}'])).toContain('"telemetry"');
  });

  it('outputs the short names clients use and the streams they map to', () => {
    expect(tf.output?.streams).toMatchObject({ value: { orders: 'sp-dev-kput-orders', clicks: 'sp-dev-kput-clicks' } });
  });
});

describe('kinesis putrecord stack: route', () => {
  const route = routes['PUT /{stream-name}'];

  it('has exactly PUT /{stream-name}', () => {
    expect(Object.keys(routes)).toEqual(['PUT /{stream-name}']);
  });

  it('calls Kinesis PutRecord directly, as JSON 1.1, with the scoped role', () => {
    expect(route.integration).toMatchObject({
      type: 'AWS',
      integration_http_method: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord',
      credentials: expect.stringMatching(/^\$\{aws_iam_role\.Kinesis_Role_[A-Z0-9]+\.arn\}$/),
      request_parameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
      passthrough_behavior: 'NEVER',
    });
  });

  it('deploys exactly the shared PutRecord templates, base64-encoding Data', () => {
    expect(requestTemplateOf(route)).toBe(kinesisRequestTemplate('PutRecord', streams, 'us-east-1'));
    expect(requestTemplateOf(route)).toContain("$util.base64Encode($input.json('$.Data'))");
    expect(responseTemplateOf(route, '200')).toBe(kinesisSuccessTemplate('PutRecord'));
    expect(responseTemplateOf(route, '400')).toBe(kinesisClientErrorTemplate('PutRecord', streams));
    expect(responseTemplateOf(route, '502')).toBe(KINESIS_SERVER_ERROR_TEMPLATE);
  });

  it('maps Kinesis 4xx and 5xx by selection pattern, never to 200', () => {
    expect(route.methodResponses.sort()).toEqual(['200', '400', '502']);
    expect(route.responses['200'].selection_pattern).toBeUndefined();
    expect(route.responses['400'].selection_pattern).toBe('4\\d{2}');
    expect(route.responses['502'].selection_pattern).toBe('5\\d{2}');
  });

  it('requires an API key bound to a usage plan with throttle and quota', () => {
    expect(route.config).toMatchObject({ api_key_required: true, authorization: 'NONE' });
    const apiId = Object.keys(resourcesOf(tf, 'aws_api_gateway_rest_api'))[0];
    expect(onlyResource(tf, 'aws_api_gateway_usage_plan')).toMatchObject({
      api_stages: [{ api_id: ref('aws_api_gateway_rest_api', apiId, 'id'), stage: expect.stringContaining('aws_api_gateway_stage') }],
      throttle_settings: { rate_limit: 50, burst_limit: 100 },
      quota_settings: { limit: 10000, period: 'DAY' },
    });
    expect(onlyResource(tf, 'aws_api_gateway_usage_plan_key')).toMatchObject({ key_type: 'API_KEY' });
    expect(tf.output?.api_key_value).toMatchObject({ sensitive: true });
  });

  it('validates the body with the record model and the path parameter', () => {
    const model = onlyResource(tf, 'aws_api_gateway_model');
    expect(JSON.parse(String(model.schema))).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'KinesisRecord',
      ...PUT_RECORD_SCHEMA,
    });
    expect(PUT_RECORD_SCHEMA.properties.PartitionKey).toEqual({ type: 'string', minLength: 1, maxLength: 256, pattern: TEXT_PATTERN });
    expect(route.config.request_models).toEqual({ 'application/json': ref('aws_api_gateway_model', Object.keys(resourcesOf(tf, 'aws_api_gateway_model'))[0], 'name') });
    expect(route.config.request_parameters).toEqual({ 'method.request.path.stream-name': true });
    expect(onlyResource(tf, 'aws_api_gateway_request_validator')).toMatchObject({ validate_request_body: true, validate_request_parameters: true });
  });

  it('answers unknown paths with a JSON 404 and keeps access logs and throttling', () => {
    expect(Object.values(resourcesOf(tf, 'aws_api_gateway_gateway_response')).map((r) => r.response_type)).toContain('MISSING_AUTHENTICATION_TOKEN');
    expect(onlyResource(tf, 'aws_api_gateway_stage')).toMatchObject({ access_log_settings: expect.any(Object) });
    expect(onlyResource(tf, 'aws_api_gateway_method_settings')).toMatchObject({ settings: { throttling_rate_limit: 50 } });
  });
});

describe('kinesis putrecord stack: the deployed record model (draft-04, as API Gateway validates)', () => {
  const schema = JSON.parse(String(onlyResource(tf, 'aws_api_gateway_model').schema)) as object;
  const valid = new Ajv({ allErrors: true }).compile(schema);

  it.each([
    [{ Data: { a: 1 }, PartitionKey: 'k' }],
    [{ Data: 'text', PartitionKey: 'p'.repeat(256) }],
    [{ Data: null, PartitionKey: 'ключ' }],
    [{ Data: [1, 'two'], PartitionKey: '0' }],
    // maxLength counts code points: 256 emoji are a 256-character key.
    [{ Data: 1, PartitionKey: '🔑'.repeat(256) }],
  ] as [unknown][])('accepts %j', (body) => {
    expect(valid(body)).toBe(true);
  });

  it.each([
    [{ PartitionKey: 'k' }, 'Data missing'],
    [{ Data: 1 }, 'PartitionKey missing'],
    [{ Data: 1, PartitionKey: '' }, 'empty PartitionKey'],
    [{ Data: 1, PartitionKey: 'p'.repeat(257) }, 'PartitionKey over 256 characters'],
    [{ Data: 1, PartitionKey: 42 }, 'PartitionKey not a string'],
    [{ Data: 1, PartitionKey: 'k', StreamName: 'other' }, 'an extra field (e.g. a stream name)'],
    [[], 'not an object'],
    [{ Data: 1, PartitionKey: '🔑'.repeat(257) }, '257 astral characters'],
    [{ Data: 1, PartitionKey: 'k\u0000' }, 'a NUL in PartitionKey'],
    [{ Data: 1, PartitionKey: 'line\nbreak' }, 'a line break in PartitionKey'],
    [{ Data: 1, PartitionKey: '\u001b[0m' }, 'an ESC in PartitionKey'],
    [{ Data: 1, PartitionKey: 'k\ud83d' }, 'an unpaired high surrogate in PartitionKey'],
    [{ Data: 1, PartitionKey: '\udc00k' }, 'an unpaired low surrogate in PartitionKey'],
  ] as [unknown, string][])('refuses %j (%s), which API Gateway answers with 400', (body) => {
    expect(valid(body)).toBe(false);
  });
});

describe('kinesis putrecord stack: permissions', () => {
  it('lets only API Gateway assume the integration role', () => {
    const role = Object.values(resourcesOf(tf, 'aws_iam_role')).find((r) => r.name === 'sp-dev-kput-kinesis');
    expect(policyStatements(tf, role?.assume_role_policy)).toEqual([
      expect.objectContaining({ principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }] }),
    ]);
  });

  it('grants only kinesis:PutRecord, only on the two streams', () => {
    expect(roleStatements(tf, '-kinesis').map((s) => ({ actions: s.actions, resources: s.resources }))).toEqual([
      // One statement per stream: each stream grants its own (EncryptedStream.grant).
      ...streams.map((s) => ({ actions: ['kinesis:PutRecord'], resources: [ref('aws_kinesis_stream', streamIds[s.physicalName], 'arn')] })),
    ]);
  });
});
