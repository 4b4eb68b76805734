import { TfJson } from './synth';

/**
 * What terraform-provider-aws v5.100.0 calls, for each resource type the stacks use, to create,
 * read (refresh), update and delete it, as IAM actions on the ARN the request is authorized
 * against. Read from the provider's sources (internal/service/<service>/<resource>.go, tag
 * v5.100.0: https://github.com/hashicorp/terraform-provider-aws/tree/v5.100.0/internal/service)
 * and the Service Authorization Reference for the action names.
 */
export const ACCOUNT = '123456789012';
/** Stands for an id the service generates (API, key, mapping ids). */
const GENERATED = 'a1b2c3d4e5';

export interface Call {
  readonly actions: readonly string[];
  readonly resource: string;
}

type Resource = Record<string, unknown>;
type CallsOf = (resource: Resource, at: Context) => Call[];
interface Context {
  readonly region: string;
  /** The attribute, with every `${aws_x.id.name|arn|id}` reference replaced by what it stands for. */
  readonly attr: (resource: Resource, name: string) => string;
  readonly arnOf: (type: string, resource: Resource) => string;
}

const apigw = (region: string, path: string) => `arn:aws:apigateway:${region}::${path}`;
const VERBS = ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];
const restApiChild = (sub: string): CallsOf => (_r, at) => [{ actions: VERBS, resource: apigw(at.region, `/restapis/${GENERATED}/${sub}`) }];
const httpApiChild = (sub: string): CallsOf => (_r, at) => [{ actions: VERBS, resource: apigw(at.region, `/apis/${GENERATED}/${sub}`) }];
const passRole = (roleArn: string): Call => ({ actions: ['iam:PassRole'], resource: roleArn });
const LAMBDA_TAGS = ['lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource'];

/** ARNs of resources other resources refer to. */
export const ARNS: Record<string, (r: Resource, at: Context) => string> = {
  aws_iam_role: (r, at) => `arn:aws:iam::${ACCOUNT}:role/${at.attr(r, 'name')}`,
  aws_iam_policy: (r, at) => `arn:aws:iam::${ACCOUNT}:policy/${at.attr(r, 'name')}`,
  aws_lambda_function: (r, at) => `arn:aws:lambda:${at.region}:${ACCOUNT}:function:${at.attr(r, 'function_name')}`,
  aws_dynamodb_table: (r, at) => `arn:aws:dynamodb:${at.region}:${ACCOUNT}:table/${at.attr(r, 'name')}`,
  aws_kinesis_stream: (r, at) => `arn:aws:kinesis:${at.region}:${ACCOUNT}:stream/${at.attr(r, 'name')}`,
  aws_sqs_queue: (r, at) => `arn:aws:sqs:${at.region}:${ACCOUNT}:${at.attr(r, 'name')}`,
  aws_sns_topic: (r, at) => `arn:aws:sns:${at.region}:${ACCOUNT}:${at.attr(r, 'name')}`,
  // Secrets Manager appends six random characters to the name.
  aws_secretsmanager_secret: (r, at) => `arn:aws:secretsmanager:${at.region}:${ACCOUNT}:secret:${at.attr(r, 'name')}-AbCdEf`,
  aws_kms_key: (_r, at) => `arn:aws:kms:${at.region}:${ACCOUNT}:key/${GENERATED}`,
  aws_cloudwatch_log_group: (r, at) => `arn:aws:logs:${at.region}:${ACCOUNT}:log-group:${at.attr(r, 'name')}`,
  aws_s3_bucket: (r, at) => `arn:aws:s3:::${at.attr(r, 'bucket')}`,
};

const bucketOf = (r: Resource, at: Context) => `arn:aws:s3:::${at.attr(r, 'bucket')}`;
const bucketSetting = (...actions: string[]): CallsOf => (r, at) => [{ actions, resource: bucketOf(r, at) }];
/** A function named by name or by ARN. */
const functionArn = (value: string, at: Context) => (value.startsWith('arn:') ? value : `arn:aws:lambda:${at.region}:${ACCOUNT}:function:${value}`);

export const PROVIDER_CALLS: Record<string, CallsOf> = {
  // internal/service/s3/bucket.go reads every bucket setting on refresh; the bucket is never deleted (prevent_destroy).
  aws_s3_bucket: (r, at) => [
    {
      actions: [
        's3:CreateBucket', 's3:ListBucket', 's3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite', 's3:GetBucketVersioning',
        's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetLifecycleConfiguration',
        's3:GetReplicationConfiguration', 's3:GetEncryptionConfiguration', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketTagging', 's3:PutBucketTagging',
      ],
      resource: ARNS.aws_s3_bucket(r, at),
    },
  ],
  aws_s3_bucket_versioning: bucketSetting('s3:GetBucketVersioning', 's3:PutBucketVersioning'),
  aws_s3_bucket_lifecycle_configuration: bucketSetting('s3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'),
  aws_s3_bucket_ownership_controls: bucketSetting('s3:GetBucketOwnershipControls', 's3:PutBucketOwnershipControls'),
  aws_s3_bucket_policy: bucketSetting('s3:GetBucketPolicy', 's3:PutBucketPolicy'),
  aws_s3_bucket_public_access_block: bucketSetting('s3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock'),
  aws_s3_bucket_server_side_encryption_configuration: bucketSetting('s3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration'),

  // internal/service/iam/role.go: read lists inline and attached policies; delete first lists instance profiles.
  aws_iam_role: (r, at) => [
    {
      actions: [
        'iam:CreateRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole',
        'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole',
      ],
      resource: ARNS.aws_iam_role(r, at),
    },
  ],
  aws_iam_role_policy: (r, at) => [{ actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'], resource: `arn:aws:iam::${ACCOUNT}:role/${at.attr(r, 'role')}` }],
  aws_iam_role_policy_attachment: (r, at) => [
    { actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'], resource: `arn:aws:iam::${ACCOUNT}:role/${at.attr(r, 'role')}` },
  ],
  aws_iam_policy: (r, at) => [
    {
      actions: ['iam:CreatePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy', 'iam:TagPolicy', 'iam:UntagPolicy'],
      resource: ARNS.aws_iam_policy(r, at),
    },
  ],

  // internal/service/lambda/function.go: create passes the role; read also gets the code-signing config and versions.
  aws_lambda_function: (r, at) => [
    {
      actions: [
        'lambda:CreateFunction', 'lambda:GetFunction', 'lambda:GetFunctionCodeSigningConfig', 'lambda:ListVersionsByFunction', 'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration', 'lambda:DeleteFunction', ...LAMBDA_TAGS,
        ...(r.reserved_concurrent_executions !== undefined ? ['lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'] : []),
      ],
      resource: ARNS.aws_lambda_function(r, at),
    },
    passRole(at.attr(r, 'role')),
  ],
  aws_lambda_permission: (r, at) => [{ actions: ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'], resource: functionArn(at.attr(r, 'function_name'), at) }],
  aws_lambda_event_source_mapping: (_r, at) => [
    { actions: ['lambda:CreateEventSourceMapping'], resource: '*' },
    { actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping', ...LAMBDA_TAGS], resource: `arn:aws:lambda:${at.region}:${ACCOUNT}:event-source-mapping:${GENERATED}` },
  ],

  aws_api_gateway_account: (r, at) => [{ actions: ['apigateway:GET', 'apigateway:PATCH'], resource: apigw(at.region, '/account') }, passRole(at.attr(r, 'cloudwatch_role_arn'))],
  aws_api_gateway_rest_api: (_r, at) => [
    { actions: ['apigateway:POST'], resource: apigw(at.region, '/restapis') },
    { actions: VERBS, resource: apigw(at.region, `/restapis/${GENERATED}`) },
    { actions: ['apigateway:PUT', 'apigateway:DELETE'], resource: apigw(at.region, `/tags/${encodeURIComponent(apigw(at.region, `/restapis/${GENERATED}`))}`) },
  ],
  aws_api_gateway_resource: restApiChild(`resources/${GENERATED}`),
  aws_api_gateway_method: restApiChild(`resources/${GENERATED}/methods/POST`),
  aws_api_gateway_method_response: restApiChild(`resources/${GENERATED}/methods/POST/responses/200`),
  aws_api_gateway_integration: (r, at) => [
    ...restApiChild(`resources/${GENERATED}/methods/POST/integration`)(r, at),
    ...(r.credentials !== undefined ? [passRole(at.attr(r, 'credentials'))] : []),
  ],
  aws_api_gateway_integration_response: restApiChild(`resources/${GENERATED}/methods/POST/integration/responses/200`),
  aws_api_gateway_gateway_response: restApiChild('gatewayresponses/DEFAULT_4XX'),
  aws_api_gateway_model: restApiChild('models/Model'),
  aws_api_gateway_request_validator: restApiChild(`requestvalidators/${GENERATED}`),
  aws_api_gateway_deployment: restApiChild(`deployments/${GENERATED}`),
  aws_api_gateway_stage: restApiChild('stages/v1'),
  aws_api_gateway_method_settings: restApiChild('stages/v1'),
  aws_api_gateway_api_key: (_r, at) => [
    { actions: ['apigateway:POST'], resource: apigw(at.region, '/apikeys') },
    { actions: VERBS, resource: apigw(at.region, `/apikeys/${GENERATED}`) },
  ],
  aws_api_gateway_usage_plan: (_r, at) => [
    { actions: ['apigateway:POST'], resource: apigw(at.region, '/usageplans') },
    { actions: VERBS, resource: apigw(at.region, `/usageplans/${GENERATED}`) },
  ],
  aws_api_gateway_usage_plan_key: (_r, at) => [{ actions: VERBS, resource: apigw(at.region, `/usageplans/${GENERATED}/keys/${GENERATED}`) }],
  aws_apigatewayv2_api: (_r, at) => [
    { actions: ['apigateway:POST'], resource: apigw(at.region, '/apis') },
    { actions: VERBS, resource: apigw(at.region, `/apis/${GENERATED}`) },
  ],
  aws_apigatewayv2_authorizer: httpApiChild(`authorizers/${GENERATED}`),
  aws_apigatewayv2_integration: (r, at) => [
    ...httpApiChild(`integrations/${GENERATED}`)(r, at),
    ...(r.credentials_arn !== undefined ? [passRole(at.attr(r, 'credentials_arn'))] : []),
  ],
  aws_apigatewayv2_route: httpApiChild(`routes/${GENERATED}`),
  // Access logging sets up a CloudWatch Logs delivery in the caller's name.
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
  aws_apigatewayv2_stage: (r, at) => [
    ...httpApiChild('stages/$default')(r, at),
    ...(r.access_log_settings !== undefined
      ? [{ actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies'], resource: '*' }]
      : []),
  ],

  // internal/service/dynamodb/table.go: read also describes backups (PITR) and TTL.
  aws_dynamodb_table: (r, at) => [
    {
      actions: [
        'dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeContinuousBackups',
        'dynamodb:UpdateContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive', 'dynamodb:ListTagsOfResource', 'dynamodb:TagResource', 'dynamodb:UntagResource',
      ],
      resource: ARNS.aws_dynamodb_table(r, at),
    },
  ],
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds_iam.html
  aws_dynamodb_kinesis_streaming_destination: (r, at) => [
    {
      actions: ['dynamodb:EnableKinesisStreamingDestination', 'dynamodb:DescribeKinesisStreamingDestination', 'dynamodb:DisableKinesisStreamingDestination'],
      resource: `arn:aws:dynamodb:${at.region}:${ACCOUNT}:table/${at.attr(r, 'table_name')}`,
    },
    { actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:PutRecords'], resource: at.attr(r, 'stream_arn') },
    { actions: ['kinesis:ListStreams'], resource: '*' },
    {
      actions: ['iam:CreateServiceLinkedRole'],
      resource: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/kinesisreplication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBKinesisDataStreamsReplication`,
    },
  ],
  aws_kinesis_stream: (r, at) => [
    {
      actions: [
        'kinesis:CreateStream', 'kinesis:DescribeStreamSummary', 'kinesis:DescribeStream', 'kinesis:DeleteStream', 'kinesis:AddTagsToStream', 'kinesis:RemoveTagsFromStream',
        'kinesis:ListTagsForStream', 'kinesis:IncreaseStreamRetentionPeriod', 'kinesis:DecreaseStreamRetentionPeriod', 'kinesis:StartStreamEncryption',
        'kinesis:StopStreamEncryption',
      ],
      resource: ARNS.aws_kinesis_stream(r, at),
    },
    // A changed shard_count; the stream mode and shard-level metrics are never set, so never updated.
    { actions: ['kinesis:UpdateShardCount'], resource: '*' },
  ],
  aws_sqs_queue: (r, at) => [
    { actions: ['sqs:CreateQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:DeleteQueue', 'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags'], resource: ARNS.aws_sqs_queue(r, at) },
  ],
  aws_sns_topic: (r, at) => [
    { actions: ['sns:CreateTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:DeleteTopic', 'sns:ListTagsForResource', 'sns:TagResource', 'sns:UntagResource'], resource: ARNS.aws_sns_topic(r, at) },
  ],
  aws_sns_topic_policy: (r, at) => [{ actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'], resource: at.attr(r, 'arn') }],
  aws_sns_topic_subscription: (r, at) => [
    { actions: ['sns:Subscribe'], resource: at.attr(r, 'topic_arn') },
    { actions: ['sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes', 'sns:Unsubscribe'], resource: `${at.attr(r, 'topic_arn')}:${GENERATED}` },
  ],
  aws_secretsmanager_secret: (r, at) => [
    {
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:TagResource', 'secretsmanager:UntagResource'],
      resource: ARNS.aws_secretsmanager_secret(r, at),
    },
  ],
  // RotateSecret checks that the caller may invoke the rotation function.
  // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
  aws_secretsmanager_secret_rotation: (r, at) => [
    { actions: ['secretsmanager:RotateSecret', 'secretsmanager:CancelRotateSecret', 'secretsmanager:DescribeSecret'], resource: at.attr(r, 'secret_id') },
    { actions: ['lambda:InvokeFunction'], resource: at.attr(r, 'rotation_lambda_arn') },
  ],
  aws_kms_key: (r, at) => [
    { actions: ['kms:CreateKey'], resource: '*' },
    {
      actions: [
        'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation', 'kms:ListResourceTags', 'kms:TagResource', 'kms:UntagResource',
        'kms:ScheduleKeyDeletion', 'kms:UpdateKeyDescription', ...(r.policy !== undefined ? ['kms:PutKeyPolicy'] : []),
      ],
      resource: ARNS.aws_kms_key(r, at),
    },
  ],
  aws_kms_alias: (r, at) => [
    { actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], resource: `arn:aws:kms:${at.region}:${ACCOUNT}:${at.attr(r, 'name')}` },
    { actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], resource: ARNS.aws_kms_key({}, at) },
    { actions: ['kms:ListAliases'], resource: '*' },
  ],
  aws_cloudwatch_log_group: (r, at) => [
    { actions: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:ListTagsForResource', 'logs:TagResource', 'logs:UntagResource'], resource: ARNS.aws_cloudwatch_log_group(r, at) },
    { actions: ['logs:DescribeLogGroups'], resource: '*' },
  ],
  aws_cloudwatch_metric_alarm: (r, at) => [
    {
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms', 'cloudwatch:ListTagsForResource', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
      resource: `arn:aws:cloudwatch:${at.region}:${ACCOUNT}:alarm:${at.attr(r, 'alarm_name')}`,
    },
  ],
  aws_cloudwatch_dashboard: (r, at) => [
    { actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'], resource: `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${at.attr(r, 'dashboard_name')}` },
  ],
};

/** Every call the resources of `tf` need, each named by the resource that needs it. */
export function callsOf(tf: TfJson, region: string): (Call & { by: string })[] {
  const REF = /\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_]+)\.([a-z_]+)\}/g;
  const at: Context = {
    region,
    attr: (resource, name) => resolve(String(resource[name] ?? '')),
    arnOf: (type, resource) => ARNS[type](resource, at),
  };
  const resolve = (value: string): string =>
    value.replace(REF, (whole, type: string, id: string, attribute: string) => {
      const target = tf.resource?.[type]?.[id];
      if (!target) return whole;
      if (attribute === 'arn' && ARNS[type]) return ARNS[type](target, at);
      // What `id` stands for, where it is not generated.
      if (attribute === 'id' && type === 'aws_secretsmanager_secret') return ARNS[type](target, at);
      if (attribute === 'id' && type === 'aws_s3_bucket') return resolve(String(target.bucket));
      if (attribute === 'id' && type === 'aws_iam_role') return resolve(String(target.name));
      if (typeof target[attribute] === 'string') return resolve(target[attribute] as string);
      return GENERATED;
    });
  return Object.entries(tf.resource ?? {}).flatMap(([type, byId]) =>
    Object.entries(byId).flatMap(([id, resource]) => {
      const calls = PROVIDER_CALLS[type];
      if (!calls) throw new Error(`${type} is not mapped to the calls the provider makes for it: add it to PROVIDER_CALLS`);
      return calls(resource, at).map((call) => ({ ...call, by: `${type}.${id}` }));
    }),
  );
}
