import { APIGatewayClient, GetAccountCommand, GetApiKeysCommand, GetRestApisCommand, GetUsagePlansCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { IAMClient, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { emulatorClient as localClient } from '../../local/aws/clients';
import { apigwAccountRoleName } from '../../lib/config';

/** What the emulator holds, read back through the real AWS APIs, for the deploy/destroy suites. */

export function emulatorClient<T>(Client: new (config: object) => T, endpoint: string): T {
  return localClient(Client, { endpoint, region: 'us-east-1' });
}

/** Every kind of resource the app creates, by name. */
export async function inventory(endpoint: string): Promise<Record<string, (string | undefined)[]>> {
  const c = <T>(Client: new (config: object) => T) => emulatorClient(Client, endpoint);
  return {
    tables: (await c(DynamoDBClient).send(new ListTablesCommand({}))).TableNames ?? [],
    streams: (await c(KinesisClient).send(new ListStreamsCommand({}))).StreamNames ?? [],
    queues: (await c(SQSClient).send(new ListQueuesCommand({}))).QueueUrls ?? [],
    functions: ((await c(LambdaClient).send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName),
    eventSourceMappings: ((await c(LambdaClient).send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? []).map((m) => m.UUID),
    roles: ((await c(IAMClient).send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName),
    policies: ((await c(IAMClient).send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map((p) => p.PolicyName),
    restApis: ((await c(APIGatewayClient).send(new GetRestApisCommand({}))).items ?? []).map((a) => a.name),
    apiKeys: ((await c(APIGatewayClient).send(new GetApiKeysCommand({}))).items ?? []).map((k) => k.name),
    usagePlans: ((await c(APIGatewayClient).send(new GetUsagePlansCommand({}))).items ?? []).map((p) => p.name),
    httpApis: ((await c(ApiGatewayV2Client).send(new GetApisCommand({}))).Items ?? []).map((a) => a.Name),
    logGroups: ((await c(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName),
    alarms: ((await c(CloudWatchClient).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => a.AlarmName),
    secrets: ((await c(SecretsManagerClient).send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList ?? []).map((s) => s.Name),
    buckets: ((await c(S3Client).send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
  };
}

/**
 * The emulator after a full destroy: nothing of the project but what Terraform refuses to destroy,
 * the state bucket and the account-wide API Gateway CloudWatch role (of the emulator's us-east-1).
 */
export function onlyWhatOutlivesDestroy(bucket: string): Record<string, string[]> {
  return {
    tables: [],
    streams: [],
    queues: [],
    functions: [],
    eventSourceMappings: [],
    roles: [apigwAccountRoleName('us-east-1')],
    policies: [],
    restApis: [],
    apiKeys: [],
    usagePlans: [],
    httpApis: [],
    logGroups: [],
    alarms: [],
    secrets: [],
    buckets: [bucket],
  };
}

/** The account-wide API Gateway CloudWatch role, '' when unset. */
export async function apiGatewayAccountRole(endpoint: string): Promise<string> {
  return (await emulatorClient(APIGatewayClient, endpoint).send(new GetAccountCommand({}))).cloudwatchRoleArn ?? '';
}

/** Every safety setting of the state bucket, and its state objects with their encryption. */
export async function stateBucketSettings(endpoint: string, bucket: string): Promise<Record<string, unknown>> {
  const s3 = emulatorClient(S3Client, endpoint);
  const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
  const encryptionOf = async (key: string) => (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ServerSideEncryption;
  return {
    versioning: (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status,
    encryption: (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]
      ?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    publicAccessBlock: (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration,
    ownership: (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership,
    lifecycle: ((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? []).map((r) => r.ID),
    stateObjects: Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await encryptionOf(k)] as const))),
  };
}
