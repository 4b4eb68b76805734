import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, CreateAccessKeyCommand, DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand, AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateStreamCommand, KinesisClient, PutRecordCommand, StartStreamEncryptionCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { emulatorClient } from '../../local/aws/clients';
import { callAsEmulator, ServiceCaller } from '../../local/aws/service-call';
import { RoleCredentials } from '../../local/aws/role-credentials';
import { AccessControl } from '../../local/iam/access-control';
import { CallerCredentials } from '../../local/iam/callers';
import { IdentityPolicies } from '../../local/iam/identity-policies';
import { streamOfShardIterator } from '../../local/iam/service-access';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ExecutionRoleProxy } from '../../local/iam/execution-role-proxy';
import { useEmulator } from '../support/moto';

// The local plane's IAM evaluation against the emulator's IAM, Kinesis and KMS: identity policies
// (inline and attached) decide each integration call, a customer managed key's policy decides the
// KMS use Kinesis makes on the caller's behalf, and the refusals are the services' own errors.
// https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
const moto = useEmulator();
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ROLE = 'integration-role';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const streamArn = (name: string) => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

let iam: IAMClient;
let kinesis: KinesisClient;
let access: AccessControl;
let keyArn: string;
const target = () => ({ endpoint: moto().endpoint, region: REGION });
const putRolePolicy = (Statement: object[]) =>
  iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'integration', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement }) }));
const iteratorOf = async (StreamName: string) =>
  (await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;

beforeAll(async () => {
  iam = emulatorClient(IAMClient, target());
  kinesis = emulatorClient(KinesisClient, target());
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: TRUST }));
  const key = await callAsEmulator(target(), { service: 'kms', action: 'CreateKey' }, {});
  keyArn = (JSON.parse(key.body) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
  for (const name of ['events', 'orders', 'managed']) await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  await kinesis.send(new StartStreamEncryptionCommand({ StreamName: 'events', EncryptionType: 'KMS', KeyId: keyArn }));
  await kinesis.send(new StartStreamEncryptionCommand({ StreamName: 'managed', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
  await kinesis.send(new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'k', Data: Buffer.from('secret order') }));
  // No policy cache: each test's policy change applies at once.
  access = new AccessControl(target(), { region: REGION, accountId: ACCOUNT }, new IdentityPolicies(target(), 0), 0);
});

const getRecords = async (stream: string) => access.integrationCall({ service: 'kinesis', action: 'GetRecords' }, ROLE_ARN, JSON.stringify({ ShardIterator: await iteratorOf(stream) }));
const putRecord = (stream: string) => access.integrationCall({ service: 'kinesis', action: 'PutRecord' }, ROLE_ARN, JSON.stringify({ StreamName: stream, PartitionKey: 'k', Data: 'eA==' }));
const body = (response: { body: string } | undefined) => JSON.parse(response?.body ?? 'null') as { __type: string; message: string } | null;

describe('integration calls, as the integration role', () => {
  it('reads the stream a shard iterator belongs to from the iterator', async () => {
    expect(streamOfShardIterator(await iteratorOf('orders'))).toBe('orders');
    expect(streamOfShardIterator('not an iterator')).toBeUndefined();
  });

  it('refuses an iterator of another stream with Kinesis\'s AccessDeniedException', async () => {
    await putRolePolicy([
      { Effect: 'Allow', Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator'], Resource: streamArn('events') },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
    ]);
    expect(await getRecords('events')).toBeUndefined();
    const refused = await getRecords('orders');
    expect(refused?.status).toBe(400);
    expect(body(refused)).toEqual({
      __type: 'AccessDeniedException',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/apigateway-local is not authorized to perform: kinesis:GetRecords on resource: ${streamArn('orders')} because no identity-based policy allows the kinesis:GetRecords action`,
    });
  });

  it('needs kms:GenerateDataKey on a customer managed key to put and kms:Decrypt to read, as Kinesis does', async () => {
    await putRolePolicy([{ Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:GetRecords'], Resource: streamArn('events') }]);
    expect(body(await putRecord('events'))).toMatchObject({ __type: 'KMSAccessDeniedException', message: expect.stringContaining(`kms:GenerateDataKey on resource: ${keyArn}`) });
    expect(body(await getRecords('events'))).toMatchObject({ __type: 'KMSAccessDeniedException', message: expect.stringContaining('kms:Decrypt') });
    await putRolePolicy([
      { Effect: 'Allow', Action: ['kinesis:PutRecord', 'kinesis:GetRecords'], Resource: streamArn('events') },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': `kinesis.${REGION}.amazonaws.com` } } },
    ]);
    expect(await putRecord('events')).toBeUndefined();
    expect(await getRecords('events')).toBeUndefined();
  });

  it('needs no KMS grant for a stream encrypted with the AWS managed key aws/kinesis', async () => {
    await putRolePolicy([{ Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: streamArn('managed') }]);
    expect(await putRecord('managed')).toBeUndefined();
  });

  it('takes attached managed policies into account, and an explicit deny over any allow', async () => {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'integration' }));
    expect(body(await putRecord('orders'))?.__type).toBe('AccessDeniedException');
    const document = (Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
    const allow = await iam.send(new CreatePolicyCommand({ PolicyName: 'put-orders', PolicyDocument: document([{ Effect: 'Allow', Action: 'kinesis:Put*', Resource: streamArn('orders') }]) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: allow.Policy!.Arn }));
    expect(await putRecord('orders')).toBeUndefined();
    await putRolePolicy([{ Effect: 'Deny', Action: 'kinesis:*', Resource: '*' }]);
    expect(body(await putRecord('orders'))?.message).toMatch(/with an explicit deny in an identity-based policy$/);
  });

  it('answers DynamoDB\'s and SQS\'s own error types through the service caller, before anything is sent', async () => {
    await putRolePolicy([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }]);
    const services = new ServiceCaller(target(), new RoleCredentials(target()), (a, r, b) => access.integrationCall(a, r, b));
    const put = await services.call({ service: 'dynamodb', action: 'PutItem' }, ROLE_ARN, JSON.stringify({ TableName: 'comments', Item: {} }));
    expect(put.status).toBe(400);
    expect(body(put)?.__type).toBe('com.amazonaws.dynamodb.v20120810#AccessDeniedException');
    const send = await services.call({ service: 'sqs', action: 'SendMessage' }, ROLE_ARN, JSON.stringify({ QueueUrl: `http://localhost/${ACCOUNT}/buffer`, MessageBody: 'x' }));
    expect(send.status).toBe(403);
    expect(body(send)?.message).toContain(`sqs:SendMessage on resource: arn:aws:sqs:${REGION}:${ACCOUNT}:buffer`);
  });
});

describe('execute-api:Invoke, as the signing caller', () => {
  const route = (method: string, path: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:api1/v1/${method}${path}`;

  it('lets the emulator\'s root credentials invoke anything, and an IAM user only the routes its policies allow', async () => {
    const callers = new CallerCredentials(target(), ACCOUNT);
    const root = await callers.find('testing');
    expect(root?.principal).toEqual({ kind: 'root', arn: `arn:aws:iam::${ACCOUNT}:root` });
    expect(await access.invoke(root!.principal, route('GET', '/streams'))).toBeUndefined();

    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    const invoke = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'invoke-get', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: route('GET', '/*') }] }) }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: invoke.Policy!.Arn }));
    const reader = await callers.find(AccessKey!.AccessKeyId!);
    expect(reader?.credential.secretAccessKey).toBe(AccessKey!.SecretAccessKey);
    expect(await access.invoke(reader!.principal, route('GET', '/streams/events/records'))).toBeUndefined();
    expect(await access.invoke(reader!.principal, route('PUT', '/streams/events/record'))).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/reader is not authorized to perform: execute-api:Invoke on resource: ${route('PUT', '/streams/events/record')}`,
    );
    expect(await callers.find('AKIAINVENTED')).toBeUndefined();
    // moto's state dump (every resource it tracks, AWS's managed policies included) takes long on a busy machine.
  }, 300_000);
});

describe('a Lambda function\'s SDK calls, as its execution role, through the evaluating proxy', () => {
  it('forwards what the role allows and answers the SDK AWS\'s AccessDeniedException for the rest', async () => {
    const FUNCTION_ROLE = 'function-role';
    await iam.send(new CreateRoleCommand({ RoleName: FUNCTION_ROLE, AssumeRolePolicyDocument: TRUST }));
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/customers`;
    await iam.send(
      new PutRolePolicyCommand({ RoleName: FUNCTION_ROLE, PolicyName: 'permissions', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table }] }) }),
    );
    await emulatorClient(DynamoDBClient, target()).send(
      new CreateTableCommand({ TableName: 'customers', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const proxy = new ExecutionRoleProxy(target(), new RoleCredentials(target()), access, () => undefined);
    const endpoint = await proxy.start();
    try {
      const credentials = await proxy.credentialsFor(`arn:aws:iam::${ACCOUNT}:role/${FUNCTION_ROLE}`, 'customers-api');
      const dynamodb = new DynamoDBClient({ endpoint, region: REGION, credentials, requestHandler: new NodeHttpHandler(), maxAttempts: 1 });
      expect((await dynamodb.send(new GetItemCommand({ TableName: 'customers', Key: { id: { S: 'x' } } }))).Item).toBeUndefined();
      await expect(dynamodb.send(new PutItemCommand({ TableName: 'customers', Item: { id: { S: 'x' } } }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/${FUNCTION_ROLE}/customers-api is not authorized to perform: dynamodb:PutItem on resource: ${table} because no identity-based policy allows the dynamodb:PutItem action`,
      });
      const stranger = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, requestHandler: new NodeHttpHandler(), maxAttempts: 1 });
      await expect(stranger.send(new GetItemCommand({ TableName: 'customers', Key: { id: { S: 'x' } } }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      await proxy.stop();
    }
  });
});
