import { apigwAccountRoleName, PipelinesConfig, PROJECT_NAME } from './config';

/**
 * The rights of the principal that deploys (and destroys) one environment: every statement the
 * app's Terraform needs, on names `sp-<env>-*` where the service's ARNs carry the name, and on
 * `*` only for actions the IAM service reference allows on no resource (each says why).
 * `npm run deployer-policy -- --env <env>` prints it; the README's list is generated from it.
 *
 * What each resource type calls on create, read, update and delete is the provider's
 * (terraform-provider-aws v5.100.0, internal/service/<service>/<resource>.go); the tests map every
 * resource type the stacks synthesize to those calls and check this policy covers them.
 */
export interface DeployerStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  /** Why this statement exists, and why its resources are what they are. */
  readonly why: string;
}

/** What the policy is scoped to. */
export type DeployerScope = Pick<PipelinesConfig, 'environment' | 'region' | 'stateBucket' | 'stateKeyPrefix'> & {
  /** The 12-digit account, or `*` (IAM actions only ever reach the caller's own account). @default '*' */
  readonly account?: string;
  /** @default 'aws' */
  readonly partition?: string;
};

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

export function deployerStatements(scope: DeployerScope): DeployerStatement[] {
  const p = scope.partition ?? 'aws';
  const account = scope.account ?? '*';
  const region = scope.region;
  const named = `sp-${scope.environment}-*`;
  const arn = (service: string, resource: string, inRegion = true) => `arn:${p}:${service}:${inRegion ? region : ''}:${account}:${resource}`;
  const envRoles = arn('iam', `role/${named}`, false);
  const accountRole = arn('iam', `role/${apigwAccountRoleName(region)}`, false);
  const functions = arn('lambda', `function:${named}`);
  const bucket = `arn:${p}:s3:::${scope.stateBucket}`;
  const envTags = { [`aws:ResourceTag/environment`]: scope.environment, [`aws:ResourceTag/project`]: PROJECT_NAME };

  return [
    {
      sid: 'StateBucket',
      actions: [
        's3:CreateBucket', 's3:ListBucket', 's3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketCORS',
        's3:GetBucketWebsite', 's3:GetBucketVersioning', 's3:PutBucketVersioning', 's3:GetAccelerateConfiguration',
        's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration',
        's3:GetReplicationConfiguration', 's3:GetEncryptionConfiguration', 's3:PutEncryptionConfiguration',
        's3:GetBucketObjectLockConfiguration', 's3:GetBucketTagging', 's3:PutBucketTagging', 's3:GetBucketOwnershipControls',
        's3:PutBucketOwnershipControls', 's3:GetBucketPublicAccessBlock', 's3:PutBucketPublicAccessBlock',
      ],
      resources: [bucket],
      why: 'The state bucket and the settings the provider reads back on every refresh (aws_s3_bucket reads them all); no delete: Terraform never destroys it',
    },
    {
      sid: 'StateObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [`${bucket}/${scope.stateKeyPrefix}/${scope.environment}/*`, `${bucket}/${scope.stateKeyPrefix}/_account/${region}/*`],
      why: "This environment's state and lock objects, and the account-wide role's",
    },
    {
      sid: 'Roles',
      actions: [
        'iam:CreateRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole',
        'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListAttachedRolePolicies',
        'iam:ListInstanceProfilesForRole',
      ],
      resources: [envRoles, accountRole],
      why: "Function and integration roles with inline policies; the provider lists a role's policies and instance profiles on read and before delete",
    },
    {
      sid: 'AttachApiGatewayLoggingPolicy',
      actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      resources: [accountRole],
      conditions: { ArnEquals: { 'iam:PolicyARN': `arn:${p}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs` } },
      why: "The account-wide API Gateway role gets AWS's logging policy, and no other",
    },
    {
      sid: 'PassRoles',
      actions: ['iam:PassRole'],
      resources: [envRoles, accountRole],
      conditions: { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'apigateway.amazonaws.com'] } },
      why: 'Lambda functions take their roles, API Gateway integrations and the account setting take theirs',
    },
    {
      sid: 'ClientPolicies',
      actions: ['iam:CreatePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy', 'iam:TagPolicy', 'iam:UntagPolicy'],
      resources: [arn('iam', `policy/${named}`, false)],
      why: "The managed policy clients of the Kinesis proxy API attach to call it",
    },
    {
      sid: 'DynamoDBKinesisServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [arn('iam', 'role/aws-service-role/kinesisreplication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBKinesisDataStreamsReplication', false)],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'kinesisreplication.dynamodb.amazonaws.com' } },
      why: 'DynamoDB creates this role the first time a table streams to Kinesis in the account (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds_iam.html)',
    },
    {
      sid: 'Functions',
      actions: [
        'lambda:CreateFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:GetFunctionCodeSigningConfig', 'lambda:ListVersionsByFunction',
        'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency',
        'lambda:DeleteFunction', 'lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:AddPermission',
        'lambda:RemovePermission', 'lambda:GetPolicy',
      ],
      resources: [functions],
      why: 'Functions, their reserved concurrency and the permissions that let API Gateway and Secrets Manager invoke them',
    },
    {
      sid: 'InvokeRotationForRotateSecret',
      actions: ['lambda:InvokeFunction'],
      resources: [functions],
      why: 'RotateSecret checks that its caller may invoke the rotation function (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html)',
    },
    {
      sid: 'CreateEventSourceMappings',
      actions: ['lambda:CreateEventSourceMapping'],
      resources: ['*'],
      conditions: { ArnLike: { 'lambda:FunctionArn': functions } },
      why: 'A mapping has no ARN before it exists; the condition names our functions',
    },
    {
      sid: 'EventSourceMappings',
      actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping'],
      resources: [arn('lambda', 'event-source-mapping:*')],
      conditions: { ArnLike: { 'lambda:FunctionArn': functions } },
      why: 'Mapping ARNs carry a generated UUID, not a name; the condition names our functions',
    },
    {
      sid: 'EventSourceMappingTags',
      actions: ['lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource'],
      resources: [arn('lambda', 'event-source-mapping:*')],
      why: "Mapping ARNs carry a generated UUID, and the tag actions cannot be limited by function (lambda:FunctionArn is not in their request context): the region's mappings",
    },
    {
      sid: 'ApiGateway',
      actions: ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
      resources: ['/restapis', '/restapis/*', '/apikeys', '/apikeys/*', '/usageplans', '/usageplans/*', '/apis', '/apis/*', '/tags/*'].map(
        (path) => `arn:${p}:apigateway:${region}::${path}`,
      ),
      why: 'API Gateway ARNs carry generated ids, not names: REST and HTTP APIs, keys, usage plans of the region',
    },
    {
      sid: 'ApiGatewayAccountSetting',
      actions: ['apigateway:GET', 'apigateway:PATCH'],
      resources: [`arn:${p}:apigateway:${region}::/account`],
      why: "The region's CloudWatch role setting (only with PIPELINES_APIGW_ACCOUNT_ROLE=manage)",
    },
    {
      sid: 'Tables',
      actions: [
        'dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeContinuousBackups',
        'dynamodb:UpdateContinuousBackups', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive', 'dynamodb:ListTagsOfResource',
        'dynamodb:TagResource', 'dynamodb:UntagResource', 'dynamodb:EnableKinesisStreamingDestination',
        'dynamodb:DescribeKinesisStreamingDestination', 'dynamodb:UpdateKinesisStreamingDestination', 'dynamodb:DisableKinesisStreamingDestination',
      ],
      resources: [arn('dynamodb', `table/${named}`)],
      why: 'Tables, their backups and TTL, and the streaming of changes to Kinesis',
    },
    {
      sid: 'Streams',
      actions: [
        'kinesis:CreateStream', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:DeleteStream', 'kinesis:AddTagsToStream',
        'kinesis:RemoveTagsFromStream', 'kinesis:ListTagsForStream', 'kinesis:IncreaseStreamRetentionPeriod', 'kinesis:DecreaseStreamRetentionPeriod',
        'kinesis:StartStreamEncryption', 'kinesis:StopStreamEncryption', 'kinesis:PutRecords',
      ],
      resources: [arn('kinesis', `stream/${named}`)],
      why: 'Streams; PutRecords and DescribeStream are what enabling a table\'s Kinesis streaming destination checks (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds_iam.html)',
    },
    {
      sid: 'StreamsWithoutResourceArn',
      actions: ['kinesis:ListStreams', 'kinesis:UpdateShardCount', 'kinesis:DescribeLimits'],
      resources: ['*'],
      why: "Enabling a table's Kinesis streaming destination lists streams, a changed shard count is applied with UpdateShardCount, and every plan of a stream checks the account's shard limit with DescribeLimits (skipped when refused): these have no resource ARN",
    },
    {
      sid: 'Queues',
      actions: ['sqs:CreateQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:DeleteQueue', 'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:ListQueueTags'],
      resources: [arn('sqs', named)],
      why: 'Queues and their dead-letter queues',
    },
    {
      sid: 'Secrets',
      actions: [
        'secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret',
        'secretsmanager:GetResourcePolicy', 'secretsmanager:TagResource', 'secretsmanager:UntagResource', 'secretsmanager:RotateSecret',
        'secretsmanager:CancelRotateSecret',
      ],
      resources: [arn('secretsmanager', `secret:${named}`)],
      why: 'The webhook secret and its rotation schedule (no value: the rotation function writes it)',
    },
    {
      sid: 'CreateKeys',
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestTag/environment': scope.environment, 'aws:RequestTag/project': PROJECT_NAME } },
      why: 'A key has no ARN before it exists; the condition asks for our tags on it',
    },
    {
      sid: 'Keys',
      actions: [
        'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation',
        'kms:UpdateKeyDescription', 'kms:ListResourceTags', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion',
        'kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias',
      ],
      resources: [arn('kms', 'key/*')],
      conditions: { StringEquals: envTags },
      why: 'Key ARNs carry generated ids, not names; the condition limits them to keys tagged with this environment',
    },
    {
      sid: 'DynamoDBDefaultKey',
      actions: ['kms:DescribeKey'],
      resources: [arn('kms', 'key/*')],
      conditions: { StringEquals: { 'kms:RequestAlias': 'alias/aws/dynamodb' } },
      why: "Every read of a table encrypted with DynamoDB's AWS managed key looks that key up by its alias, to leave kms_key_arn empty (provider: dynamodb clearSSEDefaultKey)",
    },
    {
      sid: 'KeyAliases',
      actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
      resources: [arn('kms', `alias/${named}`)],
      why: 'Aliases of our keys',
    },
    {
      sid: 'ListKeyAliases',
      actions: ['kms:ListAliases'],
      resources: ['*'],
      why: 'The provider reads an alias by listing them, and ListAliases has no resource ARN',
    },
    {
      sid: 'AlarmTopics',
      actions: [
        'sns:CreateTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:DeleteTopic', 'sns:ListTagsForResource', 'sns:TagResource',
        'sns:UntagResource', 'sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes', 'sns:SetSubscriptionAttributes',
      ],
      resources: [arn('sns', named)],
      why: 'Alarm topics, their policies (topic attributes) and e-mail subscriptions (whose ARNs start with the topic\'s)',
    },
    {
      sid: 'Alarms',
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms', 'cloudwatch:ListTagsForResource', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'],
      resources: [arn('cloudwatch', `alarm:${named}`)],
      why: 'Every alarm is named after the resource it watches',
    },
    {
      sid: 'Dashboards',
      actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
      resources: [arn('cloudwatch', `dashboard/${named}`, false)],
      why: 'One dashboard per pipeline',
    },
    {
      sid: 'LogGroups',
      actions: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:ListTagsForResource', 'logs:TagResource', 'logs:UntagResource'],
      resources: [`/aws/lambda/${named}`, `/aws/apigateway/${named}`, `/aws/vendedlogs/apigateway/${named}`, 'API-Gateway-Execution-Logs_*'].map((group) =>
        arn('logs', `log-group:${group}`),
      ),
      why: "Functions', APIs' access and REST execution log groups (API Gateway names the last after the generated API id)",
    },
    {
      sid: 'DescribeLogGroups',
      actions: ['logs:DescribeLogGroups'],
      resources: ['*'],
      why: 'The provider finds a log group by listing those with its name as prefix, and DescribeLogGroups has no resource ARN',
    },
    {
      sid: 'HttpApiAccessLogDelivery',
      actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies'],
      resources: ['*'],
      why: 'An HTTP API stage with access logs sets up a CloudWatch Logs delivery in the caller\'s name; these actions have no resource ARN (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html)',
    },
  ];
}

/** The statements as one IAM policy document (larger than a managed policy may be: see deployerPolicies). */
export function deployerPolicy(scope: DeployerScope): PolicyDocument {
  return document(deployerStatements(scope).map(toJson));
}

/**
 * IAM's limit for one managed policy: 6,144 characters, whitespace not counted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * The statements packed, in order, into as few managed policies as fit IAM's size limit, to
 * attach together to the deploying role (a role takes 10 managed policies by default).
 */
export function deployerPolicies(scope: DeployerScope): PolicyDocument[] {
  const documents: Record<string, unknown>[][] = [[]];
  for (const statement of deployerStatements(scope).map(toJson)) {
    const current = documents[documents.length - 1];
    if (current.length > 0 && policySize(document([...current, statement])) > MANAGED_POLICY_MAX_CHARS) documents.push([statement]);
    else current.push(statement);
  }
  return documents.map(document);
}

/** Characters IAM counts against the limit (JSON without whitespace). */
export function policySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).length;
}

function document(statements: readonly Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function toJson(s: DeployerStatement): Record<string, unknown> {
  return {
    Sid: s.sid,
    Effect: 'Allow',
    Action: [...s.actions],
    Resource: s.resources.length === 1 ? s.resources[0] : [...s.resources],
    ...(s.conditions ? { Condition: s.conditions } : {}),
  };
}
