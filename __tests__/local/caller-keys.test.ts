import * as http from 'http';
import { AddressInfo } from 'net';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { zipSync } from 'fflate';
import { emulatorClient, EMULATOR_CREDENTIALS } from '../../local/aws/clients';
import { signHeaders } from '../../local/aws/sigv4';
import { callerKeysEndpoint, issuedCaller } from '../../local/iam/caller-keys-endpoint';
import { CallerCredentials } from '../../local/iam/callers';
import { createGatewayServer } from '../../local/server/gateway-server';
import { useEmulator } from '../support/moto';

// Keys for AWS_IAM callers are issued by the emulator through serve:local's root, which forwards
// IAM and STS calls and remembers the secret of each CreateAccessKey / AssumeRole answer. Held on an
// emulator with a Lambda function, where moto's state dump (the other source of secrets) fails.
const moto = useEmulator();
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });

let server: http.Server;
let url: string;
let callers: CallerCredentials;
const target = () => ({ endpoint: moto().endpoint, region: REGION });

beforeAll(async () => {
  callers = new CallerCredentials(target(), ACCOUNT);
  server = createGatewayServer([], () => undefined, callerKeysEndpoint(target(), callers, ACCOUNT));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const iam = emulatorClient(IAMClient, target());
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: TRUST }));
  await emulatorClient(LambdaClient, target()).send(
    new CreateFunctionCommand({ FunctionName: 'any', Runtime: 'nodejs22.x', Role: Role!.Arn, Handler: 'index.handler', Code: { ZipFile: zipSync({ 'index.js': Buffer.from('exports.handler=async()=>1') }) } }),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A Query-protocol call signed with the emulator's credentials, as the AWS CLI sends it. */
async function queryCall(endpoint: string, service: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams(params).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: new URL(endpoint).host };
  const signed = signHeaders({ method: 'POST', path: '/', rawQuery: '', headers, body }, EMULATOR_CREDENTIALS, REGION, service);
  const response = await fetch(`${endpoint}/`, { method: 'POST', headers: { ...headers, ...signed }, body });
  return { status: response.status, text: await response.text() };
}

describe('keys issued through serve:local\'s root', () => {
  it('holds on an emulator whose state dump fails (a Lambda function exists, no Docker)', async () => {
    expect((await fetch(`${moto().endpoint}/moto-api/data.json`)).status).toBe(500);
  });

  it('remembers an IAM user\'s key from CreateAccessKey, passing the answer through, until the key is deactivated in the emulator', async () => {
    const viaPlane = new IAMClient({ endpoint: url, region: REGION, credentials: EMULATOR_CREDENTIALS, requestHandler: new NodeHttpHandler(), maxAttempts: 1 });
    await viaPlane.send(new CreateUserCommand({ UserName: 'alice' }));
    const { AccessKey } = await viaPlane.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const found = await callers.find(AccessKey!.AccessKeyId!);
    expect(found).toEqual({
      accessKeyId: AccessKey!.AccessKeyId,
      credential: { secretAccessKey: AccessKey!.SecretAccessKey },
      principal: { kind: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, name: 'alice' },
    });
    await emulatorClient(IAMClient, target()).send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId, Status: 'Inactive' }));
    expect(await callers.find(AccessKey!.AccessKeyId!, Date.now() + 2000)).toBeUndefined();
  });

  it('knows nothing of a key created at the emulator directly (its dump fails)', async () => {
    const iam = emulatorClient(IAMClient, target());
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    expect(await callers.find(AccessKey!.AccessKeyId!)).toBeUndefined();
  });

  it('remembers STS AssumeRole credentials with their session token, until they expire', async () => {
    const assumed = await queryCall(url, 'sts', { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: `arn:aws:iam::${ACCOUNT}:role/fn-role`, RoleSessionName: 'tester', DurationSeconds: '900' });
    expect(assumed.status).toBe(200);
    expect(assumed.text).toContain('<AssumeRoleResponse');
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(assumed.text)![1];
    const found = await callers.find(field('AccessKeyId'));
    expect(found).toMatchObject({
      credential: { secretAccessKey: field('SecretAccessKey'), sessionToken: field('SessionToken') },
      principal: { kind: 'assumed-role', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/fn-role/tester`, roleArn: `arn:aws:iam::${ACCOUNT}:role/fn-role`, roleName: 'fn-role' },
    });
    expect(await callers.find(field('AccessKeyId'), Date.parse(field('Expiration')))).toBeUndefined();
  });

  it('leaves every other request at the root to the gateway (no API there: 404)', async () => {
    expect((await queryCall(url, 'sqs', { Action: 'ListQueues' })).status).toBe(404);
    expect((await fetch(`${url}/`, { method: 'POST', body: 'Action=ListUsers' })).status).toBe(404);
  });
});

describe('issuedCaller', () => {
  it('reads nothing from an answer to another action or without a secret', () => {
    const xml = '<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><UserName>u</UserName><AccessKeyId>AKIA1</AccessKeyId><Status>Active</Status><SecretAccessKey>a&amp;b</SecretAccessKey></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>';
    expect(issuedCaller('CreateAccessKey', 'Action=CreateAccessKey', xml, ACCOUNT)?.credential).toEqual({ secretAccessKey: 'a&b' });
    expect(issuedCaller('ListAccessKeys', 'Action=ListAccessKeys', xml, ACCOUNT)).toBeUndefined();
    expect(issuedCaller('CreateAccessKey', 'Action=CreateAccessKey', xml.replace(/<SecretAccessKey>.*<\/SecretAccessKey>/, ''), ACCOUNT)).toBeUndefined();
  });
});
