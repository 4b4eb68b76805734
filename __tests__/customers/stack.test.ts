import { routesOf } from '../support/routes';
import { appStack, dataOf, logicalIdOf, onlyResource, policyStatements, ref, resourcesOf, TfJson } from '../support/synth';

const tf = appStack('apigw-lambda-dynamodb-customers');
const prodTf = appStack('apigw-lambda-dynamodb-customers', { PIPELINES_ENV: 'prod' });

const tableId = logicalIdOf(tf, 'aws_dynamodb_table');
const apiId = logicalIdOf(tf, 'aws_api_gateway_rest_api');
const fnId = logicalIdOf(tf, 'aws_lambda_function');

const methods = (json: TfJson) => Object.values(routesOf(json));

describe('customers stack: state and provider', () => {
  // No `encrypt`: with it and no kms_key_id the backend would send SSE-S3 (AES256) headers and
  // override the bucket's KMS default; without it S3 applies the bucket default to state and lock
  // files. https://developer.hashicorp.com/terraform/language/backend/s3 ("encrypt")
  it('keeps state in S3 under one key per stack and environment, under the bucket default KMS encryption, locked', () => {
    expect((tf.terraform as { backend: { s3: unknown } }).backend.s3).toEqual({
      bucket: 'serverless-pipelines-tfstate-dev',
      key: 'serverless-pipelines/dev/apigw-lambda-dynamodb-customers.tfstate',
      region: 'us-east-1',
      use_lockfile: true,
    });
    expect(tf.terraform?.required_version).toBe('>= 1.11.0');
  });

  it('tags everything through the provider default tags', () => {
    expect(tf.provider?.aws?.[0]).toMatchObject({
      region: 'us-east-1',
      default_tags: [{ tags: { project: 'serverless-pipelines', pipeline: 'apigw-lambda-dynamodb-customers', environment: 'dev', 'managed-by': 'cdktf' } }],
    });
    expect(tf.provider?.aws?.[0]).not.toHaveProperty('endpoints');
  });
});

describe('customers stack: table', () => {
  it('is keyed by customerId, on demand, recoverable and encrypted', () => {
    expect(onlyResource(tf, 'aws_dynamodb_table')).toMatchObject({
      name: 'sp-dev-customers-customers',
      hash_key: 'customerId',
      deletion_protection_enabled: false,
    });
  });

  it('is protected against deletion in prod', () => {
    expect(onlyResource(prodTf, 'aws_dynamodb_table')).toMatchObject({ name: 'sp-prod-customers-customers', deletion_protection_enabled: true });
  });
});

describe('customers stack: function', () => {
  const fn = onlyResource(tf, 'aws_lambda_function');

  it('runs the bundled handler on Node.js 22, arm64, traced, logging JSON to its own group', () => {
    expect(fn).toMatchObject({
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      tracing_config: { mode: 'Active' },
      logging_config: { log_format: 'JSON', log_group: ref('aws_cloudwatch_log_group', logicalIdOf(tf, 'aws_cloudwatch_log_group', (g) => String(g.name).startsWith('/aws/lambda/')), 'name') },
      environment: { variables: { TABLE_NAME: ref('aws_dynamodb_table', tableId, 'name') } },
    });
    expect(String(fn.filename)).toMatch(/^assets\/Handler_Code_[A-F0-9]+\/[0-9a-f]{64}\/lambda\.zip$/);
    expect(String(fn.source_code_hash)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('may only read and write items of its own table, besides its logs and traces', () => {
    const role = resourcesOf(tf, 'aws_iam_role_policy');
    const policy = Object.values(role).find((p) => String(p.role).includes('Handler_ExecutionRole'));
    const statements = policyStatements(tf, policy?.policy);
    expect(statements).toEqual([
      expect.objectContaining({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${ref('aws_cloudwatch_log_group', logicalIdOf(tf, 'aws_cloudwatch_log_group', (g) => String(g.name).startsWith('/aws/lambda/')), 'arn')}:*`] }),
      expect.objectContaining({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
      expect.objectContaining({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [ref('aws_dynamodb_table', tableId, 'arn')] }),
    ]);
  });

  it('can be invoked only by this API, per method and path', () => {
    const sources = Object.values(resourcesOf(tf, 'aws_lambda_permission')).map((p) => String(p.source_arn));
    const execution = ref('aws_api_gateway_rest_api', apiId, 'execution_arn');
    expect(sources.sort()).toEqual(
      [
        `${execution}/v1/GET/health`,
        `${execution}/v1/*/health`,
        `${execution}/v1/POST/customers`,
        `${execution}/v1/*/customers`,
        `${execution}/v1/GET/customers/*`,
        `${execution}/v1/PUT/customers/*`,
        `${execution}/v1/*/customers/*`,
        `${execution}/v1/PUT/customers/*/email`,
        `${execution}/v1/PATCH/customers/*/email`,
        `${execution}/v1/*/customers/*/email`,
      ].sort(),
    );
  });
});

describe('customers stack: API', () => {
  it('serves the seed operations, plus ANY per path for 405 answers', () => {
    expect(methods(tf).map((m) => `${m.method} ${m.path}`).sort()).toEqual(
      [
        'GET /health',
        'ANY /health',
        'POST /customers',
        'ANY /customers',
        'GET /customers/{customerId}',
        'PUT /customers/{customerId}',
        'ANY /customers/{customerId}',
        'PUT /customers/{customerId}/email',
        'PATCH /customers/{customerId}/email',
        'ANY /customers/{customerId}/email',
      ].sort(),
    );
  });

  it('requires the API key on every customer route and not on /health', () => {
    for (const { path, config } of methods(tf)) {
      expect({ path, apiKeyRequired: config.api_key_required }).toEqual({ path, apiKeyRequired: path !== '/health' });
    }
  });

  it('integrates every method with the handler through Lambda proxy', () => {
    const integrations = Object.values(resourcesOf(tf, 'aws_api_gateway_integration'));
    expect(integrations).toHaveLength(10);
    for (const integration of integrations) {
      expect(integration).toMatchObject({ type: 'AWS_PROXY', integration_http_method: 'POST', uri: ref('aws_lambda_function', fnId, 'invoke_arn') });
    }
  });

  it('is regional', () => {
    expect(onlyResource(tf, 'aws_api_gateway_rest_api')).toMatchObject({ endpoint_configuration: { types: ['REGIONAL'] } });
  });

  it('answers gateway errors and unknown routes with JSON', () => {
    const responses = Object.values(resourcesOf(tf, 'aws_api_gateway_gateway_response'));
    const byType = Object.fromEntries(responses.map((r) => [r.response_type, r]));
    expect(Object.keys(byType).sort()).toEqual(['BAD_REQUEST_BODY', 'DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN']);
    expect(byType.MISSING_AUTHENTICATION_TOKEN.status_code).toBe('404');
    for (const response of responses) {
      const template = (response.response_templates as Record<string, string>)['application/json'];
      // With the placeholders filled as API Gateway fills them, the body is valid JSON.
      const filled = template.replace('$context.error.messageString', '"Forbidden"').replace(/\$context\.[A-Za-z.]+/g, 'x');
      expect(() => JSON.parse(filled)).not.toThrow();
    }
  });
});

describe('customers stack: deployment and stage', () => {
  const deployment = onlyResource(tf, 'aws_api_gateway_deployment');

  it('redeploys whenever the definition changes, before the old deployment goes', () => {
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(String((deployment.triggers as Record<string, string>).definition)).toMatch(/^[0-9a-f]{64}$/);
    const dependsOn = deployment.depends_on as string[];
    for (const type of ['aws_api_gateway_method', 'aws_api_gateway_integration', 'aws_api_gateway_resource', 'aws_api_gateway_gateway_response']) {
      for (const id of Object.keys(resourcesOf(tf, type))) expect(dependsOn).toContain(`${type}.${id}`);
    }
  });

  it('also hashes the integration targets at plan time, so a replaced function redeploys the API', () => {
    const targets = String((deployment.triggers as Record<string, string>).targets);
    const integrationIds = Object.keys(resourcesOf(tf, 'aws_api_gateway_integration'));
    expect(targets).toMatch(/^\$\{sha1\(jsonencode\(\[/);
    for (const id of integrationIds) expect(targets).toContain(`aws_api_gateway_integration.${id}.uri`);
  });

  it('has a v1 stage with JSON access logs and X-Ray', () => {
    const stage = onlyResource(tf, 'aws_api_gateway_stage');
    expect(stage).toMatchObject({ stage_name: 'v1', xray_tracing_enabled: true, deployment_id: ref('aws_api_gateway_deployment', logicalIdOf(tf, 'aws_api_gateway_deployment'), 'id') });
    const settings = stage.access_log_settings as { destination_arn: string; format: string };
    const format = JSON.parse(settings.format.replace('$context.error.messageString', '"m"')) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', resourcePath: '$context.resourcePath' });
    expect(settings.destination_arn).toBe(ref('aws_cloudwatch_log_group', logicalIdOf(tf, 'aws_cloudwatch_log_group', (g) => String(g.name).endsWith('/access')), 'arn'));
  });

  it('throttles every method and never logs bodies', () => {
    expect(onlyResource(tf, 'aws_api_gateway_method_settings')).toMatchObject({
      method_path: '*/*',
      settings: { throttling_rate_limit: 50, throttling_burst_limit: 100, metrics_enabled: true, logging_level: 'ERROR', data_trace_enabled: false },
    });
  });

  it('has a usage plan with rate, burst and quota bound to the stage and the key', () => {
    expect(onlyResource(tf, 'aws_api_gateway_usage_plan')).toMatchObject({
      api_stages: [{ api_id: ref('aws_api_gateway_rest_api', apiId, 'id'), stage: ref('aws_api_gateway_stage', logicalIdOf(tf, 'aws_api_gateway_stage'), 'stage_name') }],
      throttle_settings: { rate_limit: 50, burst_limit: 100 },
      quota_settings: { limit: 10000, period: 'DAY' },
    });
    expect(onlyResource(tf, 'aws_api_gateway_usage_plan_key')).toMatchObject({ key_type: 'API_KEY' });
  });

  it('exposes the key value only as a sensitive output', () => {
    expect(tf.output?.api_key_value).toMatchObject({ sensitive: true, value: ref('aws_api_gateway_api_key', logicalIdOf(tf, 'aws_api_gateway_api_key'), 'value') });
    expect(tf.output?.api_key_id).not.toHaveProperty('sensitive');
    expect(tf.output?.api_url).toBeDefined();
  });

  it('keeps every log group on a retention', () => {
    const groups = Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group'));
    expect(groups.map((g) => String(g.name)).sort()).toEqual([
      '/aws/apigateway/sp-dev-customers-api/access',
      '/aws/lambda/sp-dev-customers-api',
      `API-Gateway-Execution-Logs_${ref('aws_api_gateway_rest_api', apiId, 'id')}/v1`,
    ]);
    for (const group of groups) expect(group.retention_in_days).toBe(30);
  });

  it('renders IAM documents through the provider, never as literal JSON', () => {
    expect(Object.keys(dataOf(tf, 'aws_iam_policy_document')).length).toBeGreaterThanOrEqual(2);
  });
});
