import { kinesisClientErrorTemplate, kinesisRequestTemplate, kinesisSuccessTemplate, KINESIS_SERVER_ERROR_TEMPLATE, PUT_RECORD_SCHEMA, SERVED_STREAMS_REQUEST_TEMPLATE } from '../../lib/constructs/kinesis-rest-proxy/templates';
import { roleStatements } from '../support/iam';
import { requestTemplateOf, responseTemplateOf, routesOf } from '../support/routes';
import { describeRegistration } from '../support/stack-registration';
import { appStack, dataOf, onlyResource, policyStatements, ref, resourcesOf } from '../support/synth';

const tf = appStack('apigw-kinesis-proxy', { PIPELINES_PROXY_STREAMS: 'events,audit' });
const routes = routesOf(tf);
const streams = [
  { shortName: 'events', physicalName: 'sp-dev-kproxy-events' },
  { shortName: 'audit', physicalName: 'sp-dev-kproxy-audit' },
];
const streamIds = Object.fromEntries(Object.entries(resourcesOf(tf, 'aws_kinesis_stream')).map(([id, s]) => [s.name, id]));
const streamArns = streams.map((s) => ref('aws_kinesis_stream', streamIds[s.physicalName], 'arn'));

const ROUTES = {
  'GET /streams/{stream-name}/sharditerator': 'GetShardIterator',
  'PUT /streams/{stream-name}/record': 'PutRecord',
  'GET /streams/{stream-name}/records': 'GetRecords',
} as const;

describeRegistration('apigw-kinesis-proxy', tf);

describe('kinesis proxy stack: streams', () => {
  it('creates every configured stream, prefixed, KMS-encrypted', () => {
    const created = Object.values(resourcesOf(tf, 'aws_kinesis_stream'));
    expect(created).toHaveLength(streams.length);
    expect(created).toEqual(
      expect.arrayContaining(
        streams.map((s) =>
          expect.objectContaining({ name: s.physicalName, encryption_type: 'KMS', kms_key_id: 'alias/aws/kinesis', shard_count: 1, retention_period: 24 }),
        ),
      ),
    );
  });

  it('outputs the short names clients use and the streams they map to', () => {
    expect(tf.output?.streams).toMatchObject({ value: { events: 'sp-dev-kproxy-events', audit: 'sp-dev-kproxy-audit' } });
  });
});

describe('kinesis proxy stack: routes', () => {
  it('has exactly the four routes of the seed', () => {
    expect(Object.keys(routes).sort()).toEqual(['GET /streams', ...Object.keys(ROUTES)].sort());
  });

  it.each(Object.entries(ROUTES))('%s calls Kinesis %s directly, as JSON 1.1, with the scoped role', (key, action) => {
    const route = routes[key];
    expect(route.integration).toMatchObject({
      type: 'AWS',
      integration_http_method: 'POST',
      uri: `arn:aws:apigateway:us-east-1:kinesis:action/${action}`,
      credentials: expect.stringMatching(/^\$\{aws_iam_role\.Kinesis_Role_[A-Z0-9]+\.arn\}$/),
      request_parameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
      passthrough_behavior: 'NEVER',
    });
  });

  it('answers GET /streams from the configured list with a MOCK integration: no ListStreams call, no quota spent, no page limit', () => {
    // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html (5 per second per account)
    const route = routes['GET /streams'];
    expect(route.integration).toMatchObject({ type: 'MOCK' });
    expect(route.integration).not.toHaveProperty('credentials');
    expect(requestTemplateOf(route)).toBe(SERVED_STREAMS_REQUEST_TEMPLATE);
    expect(route.methodResponses).toEqual(['200']);
    expect(JSON.parse(responseTemplateOf(route, '200'))).toEqual({ StreamNames: ['events', 'audit'] });
  });

  it.each(Object.entries(ROUTES))('%s deploys exactly the shared templates for %s', (key, action) => {
    const route = routes[key];
    expect(requestTemplateOf(route)).toBe(kinesisRequestTemplate(action, streams, 'us-east-1'));
    expect(responseTemplateOf(route, '200')).toBe(kinesisSuccessTemplate(action));
    expect(responseTemplateOf(route, '400')).toBe(kinesisClientErrorTemplate(action, streams));
    expect(responseTemplateOf(route, '502')).toBe(KINESIS_SERVER_ERROR_TEMPLATE);
  });

  it.each(Object.keys(ROUTES))('%s maps Kinesis 4xx and 5xx by selection pattern, never to 200', (key) => {
    const route = routes[key];
    expect(route.methodResponses.sort()).toEqual(['200', '400', '502']);
    expect(route.responses['200'].selection_pattern).toBeUndefined();
    expect(route.responses['400'].selection_pattern).toBe('4\\d{2}');
    expect(route.responses['502'].selection_pattern).toBe('5\\d{2}');
  });

  it.each(Object.keys(ROUTES))('%s requires a SigV4-signed IAM caller', (key) => {
    expect(routes[key].config).toMatchObject({ authorization: 'AWS_IAM', api_key_required: false });
  });

  it('declares and validates the parameters each route needs', () => {
    const path = { 'method.request.path.stream-name': true };
    expect(routes['GET /streams'].config.request_parameters).toBeUndefined();
    expect(routes['GET /streams/{stream-name}/sharditerator'].config.request_parameters).toEqual({
      ...path,
      'method.request.querystring.shard-id': true,
      'method.request.querystring.iterator-type': false,
      'method.request.querystring.sequence-number': false,
    });
    expect(routes['PUT /streams/{stream-name}/record'].config.request_parameters).toEqual(path);
    expect(routes['GET /streams/{stream-name}/records'].config.request_parameters).toEqual({ ...path, 'method.request.header.Shard-Iterator': true });
    const validators = resourcesOf(tf, 'aws_api_gateway_request_validator');
    for (const key of Object.keys(ROUTES).filter((k) => k !== 'GET /streams')) {
      const validatorId = /^\$\{aws_api_gateway_request_validator\.([^.]+)\.id\}$/.exec(String(routes[key].config.request_validator_id))?.[1];
      expect(validators[validatorId ?? '']).toMatchObject({ validate_request_parameters: true });
    }
  });

  it('validates the PutRecord body against the record model', () => {
    const model = onlyResource(tf, 'aws_api_gateway_model');
    expect(model).toMatchObject({ name: 'KinesisRecord', content_type: 'application/json' });
    expect(JSON.parse(String(model.schema))).toMatchObject(PUT_RECORD_SCHEMA);
    const modelId = Object.keys(resourcesOf(tf, 'aws_api_gateway_model'))[0];
    expect(routes['PUT /streams/{stream-name}/record'].config.request_models).toEqual({ 'application/json': ref('aws_api_gateway_model', modelId, 'name') });
  });

  it('answers unknown paths with the 403 of unsigned requests, not a misleading 404', () => {
    const types = Object.values(resourcesOf(tf, 'aws_api_gateway_gateway_response')).map((r) => r.response_type);
    expect(types).not.toContain('MISSING_AUTHENTICATION_TOKEN');
  });

  it('keeps access logs and throttling from RestApi', () => {
    expect(onlyResource(tf, 'aws_api_gateway_stage')).toMatchObject({ access_log_settings: expect.any(Object), xray_tracing_enabled: true });
    expect(onlyResource(tf, 'aws_api_gateway_method_settings')).toMatchObject({ settings: { throttling_rate_limit: 50, throttling_burst_limit: 100 } });
  });
});

describe('kinesis proxy stack: permissions', () => {
  it('lets API Gateway, and only API Gateway, assume the integration role', () => {
    const role = Object.values(resourcesOf(tf, 'aws_iam_role')).find((r) => r.name === 'sp-dev-kproxy-kinesis');
    expect(policyStatements(tf, role?.assume_role_policy)).toEqual([
      expect.objectContaining({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }] }),
    ]);
  });

  it('grants the role exactly the three called actions, on exactly the served streams (nothing on "*")', () => {
    const statements = roleStatements(tf, '-kinesis').map((s) => ({ actions: s.actions, resources: s.resources }));
    // Each stream grants its own statement (EncryptedStream.grant), one per routed action.
    const perStream = (action: string) => streamArns.map((arn) => ({ actions: [action], resources: [arn] }));
    expect(statements).toEqual([
      ...perStream('kinesis:GetShardIterator'),
      ...perStream('kinesis:PutRecord'),
      ...perStream('kinesis:GetRecords'),
    ]);
  });

  it('offers callers a policy that invokes exactly these routes of this stage', () => {
    const policy = onlyResource(tf, 'aws_iam_policy');
    expect(policy.name).toBe('sp-dev-kproxy-clients');
    const apiId = Object.keys(resourcesOf(tf, 'aws_api_gateway_rest_api'))[0];
    const base = ref('aws_api_gateway_rest_api', apiId, 'execution_arn');
    expect(policyStatements(tf, policy.policy)).toEqual([
      expect.objectContaining({
        actions: ['execute-api:Invoke'],
        resources: [`${base}/v1/GET/streams`, `${base}/v1/GET/streams/*/sharditerator`, `${base}/v1/PUT/streams/*/record`, `${base}/v1/GET/streams/*/records`],
      }),
    ]);
    expect(tf.output?.client_policy_arn).toMatchObject({ value: ref('aws_iam_policy', Object.keys(resourcesOf(tf, 'aws_iam_policy'))[0], 'arn') });
  });

  it('renders every policy through the policy document data source', () => {
    expect(Object.keys(dataOf(tf, 'aws_iam_policy_document')).length).toBeGreaterThanOrEqual(3);
  });
});
