import { CreateRoleCommand, CreateUserCommand, CreateAccessKeyCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateRestApiCommand, APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { emulatorClient } from '../../local/aws/clients';
import { signHeaders } from '../../local/aws/sigv4';
import { fillArn } from '../../scripts/lib/deployer-gate/resources';
import { DeployerGate, startDeployerGate } from '../../scripts/lib/deployer-gate/gate';
import { useEmulator } from '../support/moto';

// The deployer gate between real SDK requests (each protocol: awsJson, awsQuery, restJson, S3's
// restXml, API Gateway's) and the emulator: the IAM action and resource each request maps to, the
// user's policy decides, and a refusal reaches the SDK as the service's own AccessDenied.
const moto = useEmulator();
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const USER = 'gate-test-deployer';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/${USER}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/sp-dev-fn`;

// IAM refuses a policy without statements; this one allows nothing the tests call.
const UNRELATED = { Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' };

let gate: DeployerGate;
let iam: IAMClient;
let credentials: { accessKeyId: string; secretAccessKey: string };

const asDeployer = <T>(Client: new (config: any) => T): T =>
  new Client({ endpoint: gate.endpoint, region: REGION, credentials, forcePathStyle: true, requestHandler: new NodeHttpHandler(), maxAttempts: 1 });
const allow = (Statement: object[]) => {
  gate.policiesChanged();
  return iam.send(new PutUserPolicyCommand({ UserName: USER, PolicyName: 'deployer', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement }) }));
};
const refusal = (error: unknown) => ({ name: (error as Error).name, status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, message: (error as Error).message });
const notAuthorized = (action: string, resource: string) => `User: ${USER_ARN} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
const lastAccesses = (count: number) => gate.decisions.slice(-count).map((d) => ({ action: d.access?.action, resource: d.access?.resource, refused: d.refused !== undefined }));

beforeAll(async () => {
  iam = emulatorClient(IAMClient, { endpoint: moto().endpoint, region: REGION });
  await iam.send(new CreateUserCommand({ UserName: USER }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: USER }));
  credentials = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  await iam.send(new CreateRoleCommand({ RoleName: 'sp-dev-fn', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  gate = await startDeployerGate({ emulator: moto().endpoint, region: REGION, account: ACCOUNT });
});

afterAll(() => gate?.stop());

describe('awsJson (SQS): the action from X-Amz-Target, the queue from the body', () => {
  it('forwards a request the policy allows, and refuses another queue with SQS\'s AccessDenied', async () => {
    await allow([{ Effect: 'Allow', Action: 'sqs:CreateQueue', Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:sp-dev-*` }]);
    const sqs = asDeployer(SQSClient);
    expect((await sqs.send(new CreateQueueCommand({ QueueName: 'sp-dev-jobs' }))).QueueUrl).toMatch(/\/sp-dev-jobs$/);
    const error = await sqs.send(new CreateQueueCommand({ QueueName: 'other-jobs' })).catch(refusal);
    expect(error).toMatchObject({ status: 403, message: notAuthorized('sqs:CreateQueue', `arn:aws:sqs:${REGION}:${ACCOUNT}:other-jobs`) });
  });

  it('DynamoDB refuses with its own namespaced AccessDeniedException', async () => {
    await allow([UNRELATED]);
    const error = await asDeployer(DynamoDBClient)
      .send(new CreateTableCommand({ TableName: 'sp-dev-t', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }))
      .catch(refusal);
    expect(error).toEqual({ name: 'AccessDeniedException', status: 400, message: notAuthorized('dynamodb:CreateTable', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/sp-dev-t`) });
  });
});

describe('awsJson (KMS): aws:RequestTag from the request\'s tags', () => {
  const kms = (action: string, input: object) => {
    const body = JSON.stringify(input);
    const url = new URL(gate.endpoint);
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${action}`, host: url.host };
    const signed = signHeaders({ method: 'POST', path: '/', rawQuery: '', headers, body }, credentials, REGION, 'kms');
    return fetch(`${gate.endpoint}/`, { method: 'POST', headers: { ...headers, ...signed }, body });
  };
  const createKey = (Tags: { TagKey: string; TagValue: string }[]) => kms('CreateKey', { Tags });

  it('allows CreateKey only with the tags the condition asks for; a missing tag is a false condition', async () => {
    await allow([{ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/environment': 'dev' } } }]);
    expect((await createKey([{ TagKey: 'environment', TagValue: 'dev' }])).status).toBe(200);
    const refused = await createKey([]);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ __type: 'AccessDeniedException', message: notAuthorized('kms:CreateKey', '*') });
    expect((await createKey([{ TagKey: 'environment', TagValue: 'prod' }])).status).toBe(400);
  });

  it('gives a key action the key\'s tags as aws:ResourceTag, by key id, ARN or alias', async () => {
    await allow([{ Effect: 'Allow', Action: ['kms:CreateKey', 'kms:CreateAlias'], Resource: '*' }]);
    const tagged = ((await (await createKey([{ TagKey: 'environment', TagValue: 'dev' }])).json()) as { KeyMetadata: { KeyId: string; Arn: string } }).KeyMetadata;
    const untagged = ((await (await createKey([])).json()) as { KeyMetadata: { KeyId: string } }).KeyMetadata;
    const aliased = await kms("CreateAlias", { AliasName: "alias/sp-dev-tagged", TargetKeyId: tagged.KeyId });
    expect(aliased.status).toBe(200);
    await allow([{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/*`, Condition: { StringEquals: { 'aws:ResourceTag/environment': 'dev' } } }]);
    for (const KeyId of [tagged.KeyId, tagged.Arn, 'alias/sp-dev-tagged']) expect((await kms('DescribeKey', { KeyId })).status).toBe(200);
    expect(await (await kms('DescribeKey', { KeyId: untagged.KeyId })).json()).toEqual({
      __type: 'AccessDeniedException',
      message: `User: ${USER_ARN} is not authorized to perform: kms:DescribeKey on resource: arn:aws:kms:${REGION}:${ACCOUNT}:key/${untagged.KeyId} because neither the key policy nor an identity-based policy (where the key policy lets IAM decide) allows the kms:DescribeKey action`,
    });
  });

  it("evaluates the key's policy with the identity policies: the account's IAM policies decide only the actions it hands them", async () => {
    const keyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:DescribeKey', Resource: '*' }] };
    await allow([{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]);
    const key = ((await (await kms('CreateKey', { Policy: JSON.stringify(keyPolicy), BypassPolicyLockoutSafetyCheck: true })).json()) as { KeyMetadata: { KeyId: string } }).KeyMetadata;
    expect((await kms('DescribeKey', { KeyId: key.KeyId })).status).toBe(200);
    const refused = await kms('UpdateKeyDescription', { KeyId: key.KeyId, Description: 'x' });
    expect([refused.status, ((await refused.json()) as { message: string }).message]).toEqual([400, expect.stringContaining('neither the key policy nor an identity-based policy')]);
  });
});

describe('awsQuery (IAM): the action from Action=, the role from RoleName', () => {
  it('refuses with the query protocol\'s <Code>AccessDenied</Code>', async () => {
    await allow([{ Effect: 'Allow', Action: 'iam:CreateRole', Resource: `arn:aws:iam::${ACCOUNT}:role/sp-dev-*` }]);
    const deployerIam = asDeployer(IAMClient);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [] });
    await deployerIam.send(new CreateRoleCommand({ RoleName: 'sp-dev-other', AssumeRolePolicyDocument: trust }));
    expect(await deployerIam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: trust })).catch(refusal)).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: notAuthorized('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/admin`),
    });
  });
});

describe('restJson (Lambda): the operation from method and path, and the role it passes', () => {
  const create = () =>
    asDeployer(LambdaClient).send(
      new CreateFunctionCommand({ FunctionName: 'sp-dev-fn', Role: ROLE_ARN, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: Buffer.from('PK\u0005\u0006' + '\0'.repeat(18), 'binary') } }),
    );
  const functions = { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:sp-dev-*` };

  it('refuses CreateFunction without iam:PassRole on its role, passed to lambda.amazonaws.com', async () => {
    await allow([functions, { Effect: 'Allow', Action: 'iam:PassRole', Resource: ROLE_ARN, Condition: { StringEquals: { 'iam:PassedToService': 'apigateway.amazonaws.com' } } }]);
    expect(await create().catch(refusal)).toEqual({ name: 'AccessDeniedException', status: 403, message: notAuthorized('iam:PassRole', ROLE_ARN) });
    expect(lastAccesses(2)).toEqual([
      { action: 'lambda:CreateFunction', resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:sp-dev-fn`, refused: false },
      { action: 'iam:PassRole', resource: ROLE_ARN, refused: true },
    ]);
  });

  it('an operation the gate does not map fails closed, naming it', async () => {
    await allow([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const error = await asDeployer(LambdaClient).send(new ListFunctionsCommand({})).catch(refusal);
    expect(error).toMatchObject({ status: 403, message: expect.stringContaining('the deployer gate does not map lambda GET /2015-03-31/functions') });
  });
});

describe('S3 (restXml) and API Gateway (the method on the path)', () => {
  it('checks an object key against the state prefix, with S3\'s AccessDenied', async () => {
    await iam.send(new PutUserPolicyCommand({ UserName: USER, PolicyName: 'deployer', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    gate.policiesChanged();
    const s3 = asDeployer(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'sp-state' }));
    await allow([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::sp-state/serverless-pipelines/dev/*' }]);
    await s3.send(new PutObjectCommand({ Bucket: 'sp-state', Key: 'serverless-pipelines/dev/a.tfstate', Body: '{}' }));
    expect(await s3.send(new PutObjectCommand({ Bucket: 'sp-state', Key: 'serverless-pipelines/prod/a.tfstate', Body: '{}' })).catch(refusal)).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: notAuthorized('s3:PutObject', 'arn:aws:s3:::sp-state/serverless-pipelines/prod/a.tfstate'),
    });
  });

  it('maps CreateRestApi to apigateway:POST on /restapis', async () => {
    await allow([UNRELATED]);
    const error = await asDeployer(APIGatewayClient).send(new CreateRestApiCommand({ name: 'sp-dev-api' })).catch(refusal);
    expect(error).toEqual({ name: 'AccessDeniedException', status: 403, message: notAuthorized('apigateway:POST', `arn:aws:apigateway:${REGION}::/restapis`) });
  });
});

describe('ARNs from request fields', () => {
  const scope = { partition: 'aws', region: REGION, account: ACCOUNT };
  it.each([
    ['arn:${Partition}:sqs:${Region}:${Account}:${QueueName}', { QueueUrl: 'http://127.0.0.1:5000/123456789012/sp-dev-q' }, `arn:aws:sqs:${REGION}:${ACCOUNT}:sp-dev-q`],
    ['arn:${Partition}:sns:${Region}:${Account}:${TopicName}', { SubscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:sp-dev-alarms:6b0e71bd` }, `arn:aws:sns:${REGION}:${ACCOUNT}:sp-dev-alarms`],
    ['arn:${Partition}:kms:${Region}:${Account}:alias/${Alias}', { AliasName: 'alias/sp-dev-key' }, `arn:aws:kms:${REGION}:${ACCOUNT}:alias/sp-dev-key`],
    ['arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}', { ARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:u-1` }, undefined],
    ['arn:${Partition}:lambda:${Region}:${Account}:event-source-mapping:${UUID}', { ARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:u-1` }, `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:u-1`],
  ])('%s from %j', (format, input, arn) => {
    expect(fillArn(format, input, scope)).toBe(arn);
  });
});
