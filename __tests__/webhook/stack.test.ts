import { functionPermissions, roleIdOf, rolePolicyStatements, trustStatements } from '../support/iam';
import { appStack, logicalIdOf, onlyResource, ref, resourcesOf, TfJson } from '../support/synth';

const tf = appStack('apigw-sqs-lambda-dynamodb');
const prodTf = appStack('apigw-sqs-lambda-dynamodb', { PIPELINES_ENV: 'prod' });

const DAY = 24 * 60 * 60;
const functionId = (json: TfJson, name: string) => logicalIdOf(json, 'aws_lambda_function', (f) => f.function_name === name);
const queueId = (name: string) => logicalIdOf(tf, 'aws_sqs_queue', (q) => q.name === name);
const tableId = logicalIdOf(tf, 'aws_dynamodb_table');
const secretId = logicalIdOf(tf, 'aws_secretsmanager_secret');
const keyId = logicalIdOf(tf, 'aws_kms_key', (k) => String(k.description).startsWith('Encrypts the secret'));
const apiId = logicalIdOf(tf, 'aws_apigatewayv2_api');
const bufferId = queueId('sp-dev-webhook-submissions');
const dlqId = queueId('sp-dev-webhook-submissions-dlq');
const consumerId = functionId(tf, 'sp-dev-webhook-consumer');
const authorizerFnId = functionId(tf, 'sp-dev-webhook-authorizer');
const rotationFnId = functionId(tf, 'sp-dev-webhook-rotate-auth');

const permissionsOf = (fnId: string) => functionPermissions(tf, fnId);
const roleStatementsOf = (roleRef: unknown) => rolePolicyStatements(tf, roleIdOf(roleRef));
const trustOf = (roleRef: unknown) => trustStatements(tf, roleIdOf(roleRef));

describe('webhook stack: HTTP API', () => {
  it('is an HTTP API with an auto-deployed $default stage and no deployment resource', () => {
    expect(onlyResource(tf, 'aws_apigatewayv2_api')).toMatchObject({ name: 'sp-dev-webhook-api', protocol_type: 'HTTP' });
    expect(onlyResource(tf, 'aws_apigatewayv2_stage')).toMatchObject({ api_id: ref('aws_apigatewayv2_api', apiId, 'id'), name: '$default', auto_deploy: true });
    expect(resourcesOf(tf, 'aws_apigatewayv2_deployment')).toEqual({});
  });

  it('writes JSON access logs to a log group with retention', () => {
    const stage = onlyResource(tf, 'aws_apigatewayv2_stage');
    const groupId = logicalIdOf(tf, 'aws_cloudwatch_log_group', (g) => g.name === '/aws/vendedlogs/apigateway/sp-dev-webhook-api/access');
    expect(resourcesOf(tf, 'aws_cloudwatch_log_group')[groupId].retention_in_days).toBe(30);
    const settings = stage.access_log_settings as { destination_arn: string; format: string };
    expect(settings.destination_arn).toBe(ref('aws_cloudwatch_log_group', groupId, 'arn'));
    expect(JSON.parse(settings.format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
    });
  });

  it('throttles every route with the configured rate and burst', () => {
    expect(onlyResource(tf, 'aws_apigatewayv2_stage').default_route_settings).toMatchObject({ throttling_rate_limit: 50, throttling_burst_limit: 100 });
    const custom = appStack('apigw-sqs-lambda-dynamodb', { PIPELINES_API_RATE_LIMIT: '7', PIPELINES_API_BURST_LIMIT: '9' });
    expect(onlyResource(custom, 'aws_apigatewayv2_stage').default_route_settings).toMatchObject({ throttling_rate_limit: 7, throttling_burst_limit: 9 });
  });

  it('has exactly one route, POST /submit, behind the Basic-auth authorizer and sent to SQS', () => {
    const route = onlyResource(tf, 'aws_apigatewayv2_route');
    const integrationId = logicalIdOf(tf, 'aws_apigatewayv2_integration');
    const authorizerId = logicalIdOf(tf, 'aws_apigatewayv2_authorizer');
    expect(route).toMatchObject({
      route_key: 'POST /submit',
      authorization_type: 'CUSTOM',
      authorizer_id: ref('aws_apigatewayv2_authorizer', authorizerId, 'id'),
      target: `integrations/${ref('aws_apigatewayv2_integration', integrationId, 'id')}`,
    });
  });
});

describe('webhook stack: authorizer', () => {
  it('is a REQUEST authorizer, payload 2.0 with simple responses, keyed and required on the Authorization header, cached', () => {
    expect(onlyResource(tf, 'aws_apigatewayv2_authorizer')).toMatchObject({
      authorizer_type: 'REQUEST',
      authorizer_uri: ref('aws_lambda_function', authorizerFnId, 'invoke_arn'),
      authorizer_payload_format_version: '2.0',
      enable_simple_responses: true,
      identity_sources: ['$request.header.Authorization'],
      authorizer_result_ttl_in_seconds: 300,
    });
  });

  it('may be invoked by API Gateway only through this API and authorizer', () => {
    const authorizerId = logicalIdOf(tf, 'aws_apigatewayv2_authorizer');
    const permission = Object.values(resourcesOf(tf, 'aws_lambda_permission')).find((p) => p.principal === 'apigateway.amazonaws.com');
    expect(permission).toEqual({
      action: 'lambda:InvokeFunction',
      function_name: ref('aws_lambda_function', authorizerFnId, 'function_name'),
      principal: 'apigateway.amazonaws.com',
      source_arn: `${ref('aws_apigatewayv2_api', apiId, 'execution_arn')}/authorizers/${ref('aws_apigatewayv2_authorizer', authorizerId, 'id')}`,
    });
  });

  it('reads the secret through a cache and may only read that secret and decrypt it via Secrets Manager', () => {
    const fn = resourcesOf(tf, 'aws_lambda_function')[authorizerFnId];
    expect((fn.environment as { variables: Record<string, string> }).variables).toMatchObject({
      SECRET_ID: ref('aws_secretsmanager_secret', secretId, 'arn'),
      SECRET_MAX_AGE_SECONDS: '60',
    });
    const extra = permissionsOf(authorizerFnId).filter((s) => !['WriteOwnLogs', 'WriteTraces'].includes(String(s.sid)));
    expect(extra).toEqual([
      expect.objectContaining({ actions: ['secretsmanager:GetSecretValue'], resources: [ref('aws_secretsmanager_secret', secretId, 'arn')] }),
      expect.objectContaining({
        actions: ['kms:Decrypt'],
        resources: [ref('aws_kms_key', keyId, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.amazonaws.com'] }],
      }),
    ]);
  });
});

describe('webhook stack: SQS integration', () => {
  it('sends the body straight to the buffer queue (SQS-SendMessage, AWS_PROXY)', () => {
    expect(onlyResource(tf, 'aws_apigatewayv2_integration')).toMatchObject({
      integration_type: 'AWS_PROXY',
      integration_subtype: 'SQS-SendMessage',
      payload_format_version: '1.0',
      request_parameters: { QueueUrl: ref('aws_sqs_queue', bufferId, 'url'), MessageBody: '$request.body' },
    });
  });

  it('uses a role API Gateway assumes that may only sqs:SendMessage to that queue', () => {
    const integration = onlyResource(tf, 'aws_apigatewayv2_integration');
    expect(trustOf(integration.credentials_arn)).toEqual([
      expect.objectContaining({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }] }),
    ]);
    expect(roleStatementsOf(integration.credentials_arn)).toEqual([
      expect.objectContaining({ effect: 'Allow', actions: ['sqs:SendMessage'], resources: [ref('aws_sqs_queue', bufferId, 'arn')] }),
    ]);
  });
});

describe('webhook stack: queues', () => {
  const queues = resourcesOf(tf, 'aws_sqs_queue');

  it('encrypts the buffer and the DLQ', () => {
    expect(queues[bufferId].sqs_managed_sse_enabled).toBe(true);
    expect(queues[dlqId].sqs_managed_sse_enabled).toBe(true);
  });

  it('dead-letters after at least 3 receives, and keeps dead letters 14 days, longer than the buffer', () => {
    expect(queues[bufferId].redrive_policy).toBe(
      `\${jsonencode({"deadLetterTargetArn" = ${ref('aws_sqs_queue', dlqId, 'arn').slice(2, -1)}, "maxReceiveCount" = 5})}`,
    );
    expect(queues[dlqId].message_retention_seconds).toBe(14 * DAY);
    expect(queues[bufferId].message_retention_seconds).toBeLessThan(14 * DAY);
  });

  it('hides a received message for at least six times the consumer timeout', () => {
    const consumer = resourcesOf(tf, 'aws_lambda_function')[consumerId];
    expect(queues[bufferId].visibility_timeout_seconds).toBeGreaterThanOrEqual(6 * Number(consumer.timeout));
  });

  it('alarms as soon as the DLQ holds a message', () => {
    const depthAlarm = logicalIdOf(tf, 'aws_cloudwatch_metric_alarm', (a) => a.metric_name === 'ApproximateNumberOfMessagesVisible');
    expect(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')[depthAlarm]).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: ref('aws_sqs_queue', dlqId, 'name') },
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
    });
  });
});

describe('webhook stack: consumer', () => {
  it('is fed by the buffer queue with partial batch failures and a concurrency cap', () => {
    expect(onlyResource(tf, 'aws_lambda_event_source_mapping')).toMatchObject({
      event_source_arn: ref('aws_sqs_queue', bufferId, 'arn'),
      function_name: ref('aws_lambda_function', consumerId, 'arn'),
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 5 },
      batch_size: 10,
    });
  });

  it('waits for its role policy before the mapping is created', () => {
    const policyId = logicalIdOf(tf, 'aws_iam_role_policy', (p) => p.role === ref('aws_iam_role', /aws_iam_role\.([^.]+)\./.exec(String(resourcesOf(tf, 'aws_lambda_function')[consumerId].role))![1], 'id'));
    expect(onlyResource(tf, 'aws_lambda_event_source_mapping').depends_on).toEqual([`aws_iam_role_policy.${policyId}`]);
  });

  it('may consume only the buffer queue and only put items into the events table', () => {
    const extra = permissionsOf(consumerId).filter((s) => !['WriteOwnLogs', 'WriteTraces'].includes(String(s.sid)));
    expect(extra).toEqual([
      expect.objectContaining({ actions: ['dynamodb:PutItem'], resources: [ref('aws_dynamodb_table', tableId, 'arn')] }),
      expect.objectContaining({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [ref('aws_sqs_queue', bufferId, 'arn')] }),
    ]);
    const fn = resourcesOf(tf, 'aws_lambda_function')[consumerId];
    expect((fn.environment as { variables: Record<string, string> }).variables.TABLE_NAME).toBe(ref('aws_dynamodb_table', tableId, 'name'));
  });

  it('stores into an on-demand, recoverable, encrypted table keyed by eventId, protected in prod', () => {
    expect(onlyResource(tf, 'aws_dynamodb_table')).toMatchObject({
      name: 'sp-dev-webhook-events',
      hash_key: 'eventId',
      billing_mode: 'PAY_PER_REQUEST',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: false,
    });
    expect(onlyResource(prodTf, 'aws_dynamodb_table').deletion_protection_enabled).toBe(true);
  });
});

describe('webhook stack: credentials', () => {
  it('keeps the login in a secret encrypted with its own rotating KMS key', () => {
    expect(onlyResource(tf, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'sp-dev-webhook/basic-auth',
      kms_key_id: ref('aws_kms_key', keyId, 'arn'),
      recovery_window_in_days: 0,
    });
    expect(onlyResource(prodTf, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(30);
    expect(resourcesOf(tf, 'aws_kms_key')[keyId]).toMatchObject({ enable_key_rotation: true });
    // The default key policy: access is decided by IAM, which names the key explicitly.
    expect(resourcesOf(tf, 'aws_kms_key')[keyId]).not.toHaveProperty('policy');
  });

  it.each(['dev', 'staging', 'prod'])('in %s, the key outlives the secret: its deletion window is at least the recovery window', (env) => {
    const json = env === 'dev' ? tf : env === 'prod' ? prodTf : appStack('apigw-sqs-lambda-dynamodb', { PIPELINES_ENV: env });
    const secret = onlyResource(json, 'aws_secretsmanager_secret');
    const key = resourcesOf(json, 'aws_kms_key')[logicalIdOf(json, 'aws_kms_key', (k) => String(k.description).startsWith('Encrypts the secret'))];
    expect(key.deletion_window_in_days).toBeGreaterThanOrEqual(secret.recovery_window_in_days as number);
    expect(key.deletion_window_in_days).toBe(env === 'prod' ? 30 : 7);
  });

  it('never carries a secret value: no secret version, no password anywhere in the JSON', () => {
    expect(resourcesOf(tf, 'aws_secretsmanager_secret_version')).toEqual({});
    const json = JSON.stringify(tf);
    // Reported as the matching words only, not the whole document.
    expect(json.match(/password|secret_string/gi)).toBeNull();
    // The username is not secret (it is in the rotation function's settings); nothing else is.
    expect(json.match(new RegExp('webhook-client', 'g'))).toHaveLength(1);
  });

  it('is generated and rotated by a Lambda that only Secrets Manager, for this secret, may invoke', () => {
    expect(onlyResource(tf, 'aws_secretsmanager_secret_rotation')).toMatchObject({
      secret_id: ref('aws_secretsmanager_secret', secretId, 'id'),
      rotation_lambda_arn: ref('aws_lambda_function', rotationFnId, 'arn'),
      rotation_rules: { automatically_after_days: 30 },
      rotate_immediately: true,
    });
    const permissionId = logicalIdOf(tf, 'aws_lambda_permission', (p) => p.principal === 'secretsmanager.amazonaws.com');
    expect(resourcesOf(tf, 'aws_lambda_permission')[permissionId]).toEqual({
      action: 'lambda:InvokeFunction',
      function_name: ref('aws_lambda_function', rotationFnId, 'function_name'),
      principal: 'secretsmanager.amazonaws.com',
      source_arn: ref('aws_secretsmanager_secret', secretId, 'arn'),
    });
    // The schedule rotates at once (rotate_immediately), so the function's invoke permission AND its
    // role's policy must exist before it: otherwise the first rotation can fail on missing rights.
    const rolePolicyId = Object.keys(resourcesOf(tf, 'aws_iam_role_policy')).find((id) => id.startsWith('BasicAuth_Rotation_'));
    expect(onlyResource(tf, 'aws_secretsmanager_secret_rotation').depends_on).toEqual([
      `aws_lambda_permission.${permissionId}`,
      `aws_iam_role_policy.${rolePolicyId}`,
    ]);
  });

  it('lets the rotation function touch only this secret and its key, through Secrets Manager', () => {
    const extra = permissionsOf(rotationFnId).filter((s) => !['WriteOwnLogs', 'WriteTraces'].includes(String(s.sid)));
    expect(extra).toEqual([
      expect.objectContaining({
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: [ref('aws_secretsmanager_secret', secretId, 'arn')],
      }),
      expect.objectContaining({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [ref('aws_kms_key', keyId, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.amazonaws.com'] }],
      }),
    ]);
    const fn = resourcesOf(tf, 'aws_lambda_function')[rotationFnId];
    expect((fn.environment as { variables: Record<string, string> }).variables.BASIC_AUTH_USERNAME).toBe('webhook-client');
  });
});

describe('webhook stack: functions and outputs', () => {
  it('gives every function its own log group with retention', () => {
    for (const id of [consumerId, authorizerFnId, rotationFnId]) {
      const fn = resourcesOf(tf, 'aws_lambda_function')[id];
      const groupId = /aws_cloudwatch_log_group\.([^.]+)\./.exec(String((fn.logging_config as { log_group: string }).log_group))![1];
      expect(resourcesOf(tf, 'aws_cloudwatch_log_group')[groupId]).toMatchObject({ name: `/aws/lambda/${String(fn.function_name)}`, retention_in_days: 30 });
    }
  });

  it('outputs what the README commands need', () => {
    expect(Object.keys(tf.output ?? {}).sort()).toEqual(['alarm_topic_arn', 'api_url', 'dashboard_name', 'dead_letter_queue_arn', 'queue_url', 'secret_arn', 'table_name']);
    expect(tf.output?.dead_letter_queue_arn.value).toBe(ref('aws_sqs_queue', dlqId, 'arn'));
    expect(tf.output?.secret_arn.value).toBe(ref('aws_secretsmanager_secret', secretId, 'arn'));
  });

  it('keeps state under its own key', () => {
    expect((tf.terraform as { backend: { s3: { key: string } } }).backend.s3.key).toBe('serverless-pipelines/dev/apigw-sqs-lambda-dynamodb.tfstate');
  });
});

describe('webhook stack on the local emulator target', () => {
  it('has no rotation schedule (moto cannot rotate an empty secret through a Lambda); everything else is the same', () => {
    const local = appStack('apigw-sqs-lambda-dynamodb', { PIPELINES_TARGET: 'local' });
    const aws = appStack('apigw-sqs-lambda-dynamodb');
    expect(resourcesOf(local, 'aws_secretsmanager_secret_rotation')).toEqual({});
    const types = (tf: typeof aws) => Object.keys(tf.resource ?? {}).filter((t) => t !== 'aws_secretsmanager_secret_rotation').sort();
    expect(types(local)).toEqual(types(aws));
    // Only the tags that tell serve:local which function rotates the secret, and how often.
    const { tags, ...localSecret } = onlyResource(local, 'aws_secretsmanager_secret') as { tags: Record<string, string> };
    expect(localSecret).toEqual(onlyResource(aws, 'aws_secretsmanager_secret'));
    expect(Object.keys(tags).sort()).toEqual(['local:rotation-days', 'local:rotation-function']);
    expect(tags['local:rotation-days']).toBe('30');
  });
});
