import Ajv from 'ajv-draft-04';
import {
  COMMENT_CLIENT_ERROR_TEMPLATE,
  COMMENT_CREATED_TEMPLATE,
  COMMENT_SERVER_ERROR_TEMPLATE,
  putCommentRequestTemplate,
} from '../../stacks/comments/templates';
import { MULTILINE_TEXT_PATTERN, TEXT_PATTERN } from '../../lambdas/shared/text-patterns';
import { rolePolicyStatements, trustedServices } from '../support/iam';
import { describeRegistration } from '../support/stack-registration';
import { appStack, appStackWarnings, dataOf, logicalIdOf, onlyResource, ref, resourcesOf, TfJson } from '../support/synth';

const tf = appStack('apigw-dynamodb-kinesis-lambda');

const tableId = logicalIdOf(tf, 'aws_dynamodb_table');
const streamId = logicalIdOf(tf, 'aws_kinesis_stream');
const queueId = logicalIdOf(tf, 'aws_sqs_queue');
const apiRoleId = logicalIdOf(tf, 'aws_iam_role', (r) => String(r.name).endsWith('-putitem'));
const consumerRoleId = logicalIdOf(tf, 'aws_iam_role', (r) => String(r.name).endsWith('-consumer-role'));
const functionId = logicalIdOf(tf, 'aws_lambda_function');

describeRegistration('apigw-dynamodb-kinesis-lambda', tf);

describe('comments stack: POST /comment', () => {
  const resource = onlyResource(tf, 'aws_api_gateway_resource');
  const method = onlyResource(tf, 'aws_api_gateway_method');
  const integration = onlyResource(tf, 'aws_api_gateway_integration');
  const restApiId = logicalIdOf(tf, 'aws_api_gateway_rest_api');

  it('is the only route: POST on /comment, directly under the root', () => {
    expect(resource).toMatchObject({ path_part: 'comment', parent_id: ref('aws_api_gateway_rest_api', restApiId, 'root_resource_id') });
    expect(method).toMatchObject({ http_method: 'POST', authorization: 'NONE' });
  });

  it('validates the body against the Comment model: both fields required, bounded, nothing else allowed', () => {
    const modelId = logicalIdOf(tf, 'aws_api_gateway_model');
    const model = resourcesOf(tf, 'aws_api_gateway_model')[modelId];
    expect(method.request_models).toEqual({ 'application/json': ref('aws_api_gateway_model', modelId, 'name') });
    expect(model.content_type).toBe('application/json');
    expect(JSON.parse(String(model.schema))).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'Comment',
      type: 'object',
      required: ['username', 'message'],
      additionalProperties: false,
      properties: {
        username: { type: 'string', minLength: 1, maxLength: 64, pattern: TEXT_PATTERN },
        message: { type: 'string', minLength: 1, maxLength: 2000, pattern: MULTILINE_TEXT_PATTERN },
      },
    });
    const validatorId = logicalIdOf(tf, 'aws_api_gateway_request_validator');
    expect(method.request_validator_id).toBe(ref('aws_api_gateway_request_validator', validatorId, 'id'));
    expect(resourcesOf(tf, 'aws_api_gateway_request_validator')[validatorId]).toMatchObject({ validate_request_body: true });
  });

  it('accepts comments within the limits and refuses missing, empty, oversized, mistyped or unknown fields', () => {
    const schema = JSON.parse(String(onlyResource(tf, 'aws_api_gateway_model').schema)) as object;
    const valid = new Ajv({ allErrors: true }).compile(schema);
    const accepted = [
      { username: 'ada', message: 'hi' },
      { username: 'u'.repeat(64), message: 'm'.repeat(2000) },
      { username: "O'Brien \\ \"q\"", message: 'Grüße 🎉\nline 2' },
      // Lengths count code points (as in the handlers): 64 and 2000 emoji are at the limits.
      { username: '🎉'.repeat(64), message: '👍'.repeat(2000) },
      { username: 'ada', message: 'line 1\r\nline 2\n\tindented' },
    ];
    const refused = [
      { username: 'ada' },
      { message: 'hi' },
      { username: '', message: 'hi' },
      { username: 'u'.repeat(65), message: 'hi' },
      { username: 'ada', message: 'm'.repeat(2001) },
      { username: 'ada', message: 'hi', admin: true },
      { username: 42, message: 'hi' },
      { username: '🎉'.repeat(65), message: 'hi' },
      { username: 'ada', message: '👍'.repeat(2001) },
      { username: 'ada\u0000', message: 'hi' },
      { username: 'ada\u0007', message: 'hi' },
      { username: '\u001b[31mada', message: 'hi' },
      { username: 'ada\nbob', message: 'hi' },
      { username: 'ada', message: 'hi\u0008\u0008' },
      { username: 'ada', message: 'hi\u0085' },
      { username: 'ada\ud83d', message: 'hi' },
      { username: 'ada', message: '\udc00hi' },
      { username: 'ada', message: 'pair reversed \udc00\ud83d' },
      [{ username: 'ada', message: 'hi' }],
      'ada: hi',
      null,
    ];
    expect(accepted.filter((body) => !valid(body))).toEqual([]);
    expect(refused.filter((body) => valid(body))).toEqual([]);
  });

  it('answers a body that fails validation with 400 JSON built only from documented gateway-response variables', () => {
    const badBody = Object.values(resourcesOf(tf, 'aws_api_gateway_gateway_response')).find((r) => r.response_type === 'BAD_REQUEST_BODY');
    expect(badBody?.response_parameters).toEqual({ 'gatewayresponse.header.Content-Type': "'application/json'" });
    expect(String((badBody?.response_templates as Record<string, string>)['application/json'])).toContain('$context.error.messageString');
  });

  it('calls DynamoDB PutItem directly, with its own role, refusing bodies no template maps', () => {
    expect(integration).toMatchObject({
      type: 'AWS',
      integration_http_method: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
      credentials: ref('aws_iam_role', apiRoleId, 'arn'),
      passthrough_behavior: 'NEVER',
    });
    // No Lambda on the write path: the only function in the stack is the stream consumer.
    expect(Object.values(resourcesOf(tf, 'aws_lambda_function')).map((f) => f.function_name)).toEqual(['sp-dev-comments-consumer']);
  });

  it('deploys exactly the request template the template tests render, pointed at the comments table', () => {
    expect(integration.request_templates).toEqual({
      'application/json': putCommentRequestTemplate(ref('aws_dynamodb_table', tableId, 'name')),
    });
  });

  it('maps 2xx to 201 {id}, 4xx to 400 (refined by the template), anything else to 503; never 200', () => {
    const responses = Object.values(resourcesOf(tf, 'aws_api_gateway_integration_response'));
    const byStatus = Object.fromEntries(
      responses.map((r) => {
        const match = /aws_api_gateway_method_response\.([^.]+)\.status_code/.exec(String(r.status_code));
        const status = match ? String(resourcesOf(tf, 'aws_api_gateway_method_response')[match[1]].status_code) : String(r.status_code);
        return [status, r];
      }),
    );
    expect(Object.keys(byStatus).sort()).toEqual(['201', '400', '503']);
    expect(byStatus['201']).toMatchObject({ selection_pattern: '2\\d{2}', response_templates: { 'application/json': COMMENT_CREATED_TEMPLATE } });
    expect(byStatus['400']).toMatchObject({ selection_pattern: '4\\d{2}', response_templates: { 'application/json': COMMENT_CLIENT_ERROR_TEMPLATE } });
    expect(byStatus['503']).toMatchObject({ response_templates: { 'application/json': COMMENT_SERVER_ERROR_TEMPLATE } });
    expect(byStatus['503']).not.toHaveProperty('selection_pattern');
    // The selection patterns really split statuses as intended (API Gateway anchors them).
    const pick = (status: string) =>
      ['201', '400'].find((s) => new RegExp(`^(?:${String(byStatus[s].selection_pattern)})$`).test(status)) ?? '503';
    expect(['200', '400', '404', '500', '503', '302'].map(pick)).toEqual(['201', '400', '400', '503', '503', '503']);
  });

  it('lets API Gateway put items into the comments table and do nothing else', () => {
    expect(trustedServices(tf, apiRoleId)).toEqual(['apigateway.amazonaws.com']);
    expect(rolePolicyStatements(tf, apiRoleId)).toEqual([
      { sid: 'PutItemComments', effect: 'Allow', actions: ['dynamodb:PutItem'], resources: [ref('aws_dynamodb_table', tableId, 'arn')] },
    ]);
  });

  it('has a throttled stage with JSON access logs', () => {
    expect(onlyResource(tf, 'aws_api_gateway_method_settings')).toMatchObject({
      method_path: '*/*',
      settings: { throttling_rate_limit: 50, throttling_burst_limit: 100 },
    });
    expect(onlyResource(tf, 'aws_api_gateway_stage')).toMatchObject({ stage_name: 'v1', access_log_settings: expect.anything() });
  });
});

describe('comments stack: table and change stream', () => {
  it('keys comments by id, on demand, recoverable and encrypted, with no DynamoDB Streams of its own', () => {
    const table = onlyResource(tf, 'aws_dynamodb_table');
    // The encryption, recovery and capacity defaults are DynamoTable's (constructs/dynamodb-table.test.ts).
    expect(table).toMatchObject({ name: 'sp-dev-comments-comments', hash_key: 'id' });
    expect(table).not.toHaveProperty('stream_enabled');
  });

  it('streams item-level changes to a KMS-encrypted Kinesis stream with millisecond timestamps', () => {
    expect(onlyResource(tf, 'aws_kinesis_stream')).toMatchObject({
      name: 'sp-dev-comments-changes',
      encryption_type: 'KMS',
      kms_key_id: 'alias/aws/kinesis',
      retention_period: 24,
    });
    expect(onlyResource(tf, 'aws_dynamodb_kinesis_streaming_destination')).toEqual({
      table_name: ref('aws_dynamodb_table', tableId, 'name'),
      stream_arn: ref('aws_kinesis_stream', streamId, 'arn'),
      approximate_creation_date_time_precision: 'MILLISECOND',
    });
  });

  it('leaves the streaming destination out for the local emulator, with a synth warning saying why', () => {
    const local = appStack('apigw-dynamodb-kinesis-lambda', { PIPELINES_TARGET: 'local' });
    expect(resourcesOf(local, 'aws_dynamodb_kinesis_streaming_destination')).toEqual({});
    // Everything else is identical to the aws target.
    const types = (json: TfJson) => Object.fromEntries(Object.entries(json.resource ?? {}).map(([t, r]) => [t, Object.keys(r).length]));
    const { aws_dynamodb_kinesis_streaming_destination: omitted, ...awsTypes } = types(tf);
    expect(omitted).toBe(1);
    expect(types(local)).toEqual(awsTypes);
    expect(appStackWarnings('apigw-dynamodb-kinesis-lambda', { PIPELINES_TARGET: 'local' })).toEqual([expect.stringMatching(/not created for PIPELINES_TARGET=local.*does not implement EnableKinesisStreamingDestination/)]);
  });
});

describe('comments stack: consumer', () => {
  it('runs the bundled TypeScript consumer with its own log group', () => {
    expect(onlyResource(tf, 'aws_lambda_function')).toMatchObject({
      function_name: 'sp-dev-comments-consumer',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      timeout: 30,
      tracing_config: { mode: 'Active' },
    });
    expect(Object.values(resourcesOf(tf, 'aws_cloudwatch_log_group')).find((g) => g.name === '/aws/lambda/sp-dev-comments-consumer')).toMatchObject({
      retention_in_days: 30,
    });
  });

  it('reads the stream in bounded, bisected batches with partial failures, finite retries and an on-failure queue', () => {
    expect(onlyResource(tf, 'aws_lambda_event_source_mapping')).toEqual({
      event_source_arn: ref('aws_kinesis_stream', streamId, 'arn'),
      function_name: ref('aws_lambda_function', functionId, 'arn'),
      starting_position: 'TRIM_HORIZON',
      batch_size: 100,
      maximum_batching_window_in_seconds: 5,
      parallelization_factor: 1,
      function_response_types: ['ReportBatchItemFailures'],
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 3,
      maximum_record_age_in_seconds: 3600,
      destination_config: { on_failure: { destination_arn: ref('aws_sqs_queue', queueId, 'arn') } },
      depends_on: [`aws_iam_role_policy.${logicalIdOf(tf, 'aws_iam_role_policy', (p) => p.role === ref('aws_iam_role', consumerRoleId, 'id'))}`],
    });
  });

  it('parks failed batches in an encrypted queue that keeps them 14 days and has no DLQ of its own', () => {
    const queue = onlyResource(tf, 'aws_sqs_queue');
    expect(queue).toMatchObject({ name: 'sp-dev-comments-consumer-failures', sqs_managed_sse_enabled: true, message_retention_seconds: 14 * 24 * 3600 });
    expect(queue).not.toHaveProperty('redrive_policy');
  });

  it('grants the consumer exactly: its logs, traces, reading this stream and sending to this queue', () => {
    expect(trustedServices(tf, consumerRoleId)).toEqual(['lambda.amazonaws.com']);
    const statements = rolePolicyStatements(tf, consumerRoleId);
    expect(statements.map((s) => s.sid)).toEqual(['WriteOwnLogs', 'WriteTraces', 'ReadChanges', 'SendToFailureQueue']);
    expect(statements[2]).toEqual({
      sid: 'ReadChanges',
      effect: 'Allow',
      actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      resources: [ref('aws_kinesis_stream', streamId, 'arn')],
    });
    expect(statements[3]).toEqual({ sid: 'SendToFailureQueue', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [ref('aws_sqs_queue', queueId, 'arn')] });
    // No wildcard action anywhere in the stack's policies.
    for (const doc of Object.values(dataOf(tf, 'aws_iam_policy_document'))) {
      for (const s of doc.statement as { actions: string[] }[]) {
        for (const action of s.actions) expect(action).not.toMatch(/\*/);
      }
    }
  });

  it('alarms when the consumer falls behind the stream and when the failure queue holds anything', () => {
    // The other alarms (API, table, function) come from the constructs' monitoring; see their tests.
    const alarms = Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).filter((a) => a.namespace === 'AWS/Kinesis' || a.namespace === 'AWS/SQS');
    expect(alarms).toHaveLength(2);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        namespace: 'AWS/Kinesis',
        metric_name: 'GetRecords.IteratorAgeMilliseconds',
        dimensions: { StreamName: ref('aws_kinesis_stream', streamId, 'name') },
        statistic: 'Maximum',
        threshold: 600000,
        comparison_operator: 'GreaterThanThreshold',
      }),
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: ref('aws_sqs_queue', queueId, 'name') },
        threshold: 0,
        comparison_operator: 'GreaterThanThreshold',
      }),
    );
  });

  it('outputs what an operator needs: URL, table, stream, consumer, its logs and the failure queue', () => {
    expect(Object.keys(tf.output ?? {}).sort()).toEqual(
      ['alarm_topic_arn', 'api_url', 'consumer_function_name', 'consumer_log_group', 'dashboard_name', 'failure_queue_url', 'stream_name', 'table_name'].sort(),
    );
  });
});
