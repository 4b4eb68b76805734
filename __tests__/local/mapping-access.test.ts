import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateStreamCommand, KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { emulatorClient } from '../../local/aws/clients';
import { RoleCredentials } from '../../local/aws/role-credentials';
import { callAsEmulator } from '../../local/aws/service-call';
import { KinesisMapping } from '../../local/event-sources/kinesis-mapping';
import { MappingHealth } from '../../local/event-sources/mapping-health';
import { SqsMapping } from '../../local/event-sources/sqs-mapping';
import { AccessControl } from '../../local/iam/access-control';
import { ExecutionRoleProxy } from '../../local/iam/execution-role-proxy';
import { IdentityPolicies } from '../../local/iam/identity-policies';
import { FunctionRegistry } from '../../local/lambda/functions';
import { useEmulator } from '../support/moto';

// Lambda reads an event source with its execution role's permissions: a role missing
// sqs:ReceiveMessage, kinesis:GetRecords or kms:Decrypt on the source's key gets the service's
// refusal, the mapping reports it and stops (nothing received, invoked or deleted), and resumes
// where it stopped once the permission is there.
// https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
// https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
const moto = useEmulator();
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ROLE = 'consumer-role';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:consumer`;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const RETRY_MS = 150;

const target = () => ({ endpoint: moto().endpoint, region: REGION });
let proxy: ExecutionRoleProxy;
let roleSqs: SQSClient;
let roleKinesis: KinesisClient;
let keyArn: string;
const invocations: unknown[] = [];
const logged: string[] = [];
const log = (line: string) => logged.push(line);

const functions = {
  get: async () => ({
    name: 'consumer',
    arn: FUNCTION_ARN,
    timeoutMs: 1000,
    invoke: async (event: unknown) => {
      invocations.push(event);
      return { ok: true, result: null, requestId: 'r' };
    },
  }),
} as unknown as FunctionRegistry;

const allow = (Statement: object[]) =>
  emulatorClient(IAMClient, target()).send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'permissions', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement }) }));

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const queued = async (QueueUrl: string) =>
  Number((await emulatorClient(SQSClient, target()).send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes?.ApproximateNumberOfMessages);

beforeAll(async () => {
  await emulatorClient(IAMClient, target()).send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: TRUST }));
  const key = await callAsEmulator(target(), { service: 'kms', action: 'CreateKey' }, {});
  keyArn = (JSON.parse(key.body) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
  const access = new AccessControl(target(), { region: REGION, accountId: ACCOUNT }, new IdentityPolicies(target(), 0), 0);
  proxy = new ExecutionRoleProxy(target(), new RoleCredentials(target()), access, () => undefined);
  const endpoint = await proxy.start();
  const config = { endpoint, region: REGION, credentials: await proxy.credentialsFor(ROLE_ARN, 'consumer'), requestHandler: new NodeHttpHandler(), maxAttempts: 1 };
  roleSqs = new SQSClient(config);
  roleKinesis = new KinesisClient(config);
});

afterAll(async () => {
  await proxy.stop();
});

beforeEach(() => {
  invocations.length = 0;
  logged.length = 0;
});

async function sqsMapping(queue: string, attributes: Record<string, string> = {}): Promise<{ mapping: SqsMapping; queueUrl: string }> {
  const { QueueUrl } = await emulatorClient(SQSClient, target()).send(new CreateQueueCommand({ QueueName: queue, Attributes: attributes }));
  const config = { uuid: queue, queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`, functionArn: FUNCTION_ARN, batchSize: 10, reportBatchItemFailures: false, region: REGION, retrySeconds: 2 };
  const health = new MappingHealth({ uuid: queue, eventSourceArn: config.queueArn, functionArn: FUNCTION_ARN }, log, RETRY_MS);
  return { mapping: new SqsMapping(config, emulatorClient(SQSClient, target()), functions, log, async () => roleSqs, health), queueUrl: QueueUrl! };
}

describe('an SQS mapping reads as the function\'s execution role', () => {
  it('stops with SQS\'s refusal while the role lacks sqs:ReceiveMessage, losing nothing, and resumes once it is granted', async () => {
    const { mapping, queueUrl } = await sqsMapping('work');
    const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:work`;
    await allow([{ Effect: 'Allow', Action: ['sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: queueArn }]);
    await emulatorClient(SQSClient, target()).send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'kept' }));
    mapping.start();
    try {
      const status = await until('the refusal', () => (mapping.health.status.lastProcessingResult.startsWith('PROBLEM') ? mapping.health.status : undefined));
      expect(status).toMatchObject({ uuid: 'work', state: 'Enabled', eventSourceArn: queueArn });
      expect(status.lastProcessingResult).toMatch(/^PROBLEM: AccessDenied(Exception)?: User: arn:aws:sts::123456789012:assumed-role\/consumer-role\/consumer is not authorized to perform: sqs:ReceiveMessage on resource: arn:aws:sqs:us-east-1:123456789012:work/);
      expect(logged.filter((l) => l.includes('PROBLEM'))).toHaveLength(1);
      await new Promise((r) => setTimeout(r, RETRY_MS * 3));
      expect(invocations).toHaveLength(0);
      expect(await queued(queueUrl)).toBe(1);

      await allow([{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: queueArn }]);
      await until('the delivery', () => (invocations.length > 0 ? true : undefined));
      await until('the deletion', async () => ((await queued(queueUrl)) === 0 && mapping.health.status.lastProcessingResult === 'OK' ? true : undefined));
      expect((invocations[0] as { Records: { body: string }[] }).Records.map((r) => r.body)).toEqual(['kept']);
      expect(logged.some((l) => l.endsWith('resumed'))).toBe(true);
    } finally {
      await mapping.stop();
    }
  });

  it('stops with SQS\'s KmsAccessDenied while the role may receive but not kms:Decrypt with the queue\'s customer managed key', async () => {
    const { mapping, queueUrl } = await sqsMapping('secure', { KmsMasterKeyId: keyArn });
    const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:secure`;
    await allow([{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: queueArn }]);
    await emulatorClient(SQSClient, target()).send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'sealed' }));
    mapping.start();
    try {
      const result = await until('the refusal', () => (mapping.health.status.lastProcessingResult.startsWith('PROBLEM') ? mapping.health.status.lastProcessingResult : undefined));
      expect(result).toContain(`KmsAccessDenied: User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/consumer is not authorized to perform: kms:Decrypt on resource: ${keyArn}`);
      expect(invocations).toHaveLength(0);
      await allow([
        { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: queueArn },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
      ]);
      await until('the delivery', () => (invocations.length > 0 ? true : undefined));
      await until('the deletion', async () => ((await queued(queueUrl)) === 0 ? true : undefined));
    } finally {
      await mapping.stop();
    }
  });
});

describe('a Kinesis mapping reads as the function\'s execution role', () => {
  it('stops with Kinesis\'s refusal while the role lacks kinesis:GetRecords, checkpointing nothing, and delivers each record once when granted', async () => {
    const kinesis = emulatorClient(KinesisClient, target());
    await kinesis.send(new CreateStreamCommand({ StreamName: 'feed', ShardCount: 1 }));
    for (const n of [1, 2]) await kinesis.send(new PutRecordCommand({ StreamName: 'feed', PartitionKey: 'k', Data: Buffer.from(`record ${n}`) }));
    const streamArn = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/feed`;
    await allow([{ Effect: 'Allow', Action: ['kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:DescribeStreamSummary'], Resource: streamArn }]);
    const config = {
      uuid: 'feed',
      streamArn,
      functionArn: FUNCTION_ARN,
      batchSize: 100,
      batchingWindowSeconds: 0,
      startingPosition: 'TRIM_HORIZON' as const,
      reportBatchItemFailures: false,
      bisectOnError: false,
      maxRetryAttempts: 0,
      maxRecordAgeSeconds: -1,
      region: REGION,
    };
    const health = new MappingHealth({ uuid: 'feed', eventSourceArn: streamArn, functionArn: FUNCTION_ARN }, log, RETRY_MS);
    const mapping = new KinesisMapping(config, kinesis, emulatorClient(SQSClient, target()), functions, log, undefined, async () => ({ kinesis: roleKinesis, sqs: roleSqs }), health);
    await mapping.start();
    try {
      const result = await until('the refusal', () => (health.status.lastProcessingResult.startsWith('PROBLEM') ? health.status.lastProcessingResult : undefined));
      expect(result).toBe(
        `PROBLEM: AccessDeniedException: User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/consumer is not authorized to perform: kinesis:GetRecords on resource: ${streamArn} because no identity-based policy allows the kinesis:GetRecords action`,
      );
      await new Promise((r) => setTimeout(r, RETRY_MS * 3));
      expect(invocations).toHaveLength(0);
      await allow([{ Effect: 'Allow', Action: ['kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords'], Resource: streamArn }]);
      await until('both records', () => (invocations.flatMap((e) => (e as { Records: unknown[] }).Records).length >= 2 ? true : undefined));
      await new Promise((r) => setTimeout(r, 500));
      const data = invocations.flatMap((e) => (e as { Records: { kinesis: { data: string } }[] }).Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString()));
      expect(data).toEqual(['record 1', 'record 2']);
      expect(health.status.lastProcessingResult).toBe('OK');
    } finally {
      await mapping.stop();
    }
  });
});
