import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { EMULATOR_CREDENTIALS } from '../../../local/aws/clients';
import { Credentials, signHeaders } from '../../../local/aws/sigv4';
import { call, SmokeResponse } from '../../../scripts/lib/smoke-http';
import { KINESIS_PROXY } from '../../../scripts/lib/smoke-kinesis-proxy';
import { outputString } from '../../../scripts/lib/smoke-target';
import { PlaneContext, PlaneSuite } from './context';

/**
 * `AWS_IAM` routes (the Kinesis proxy's four; the other APIs use API keys or an authorizer) signed
 * by IAM users and an assumed role whose keys the emulator issued through serve:local's root:
 * `execute-api:Invoke` on the route's ARN is evaluated against the caller's policies, and a refusal
 * is API Gateway's 403 through the API's gateway responses.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
const ACCOUNT = '123456789012';
const stamp = Date.now();
const USERS = { full: `iam-caller-full-${stamp}`, getStreams: `iam-caller-get-${stamp}`, none: `iam-caller-none-${stamp}`, direct: `iam-caller-direct-${stamp}` };
const ROLE = `iam-caller-role-${stamp}`;

interface Route {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
}

export const iamCallers: PlaneSuite = (context) => {
  describe('AWS_IAM callers with keys issued through serve:local', () => {
    // What the suite created, removed afterwards so the deployment is left as it was found.
    const made: { users: string[]; keys: [string, string][]; userPolicies: [string, string][]; inline: [string, string][]; role?: string; rolePolicy?: string } = { users: [], keys: [], userPolicies: [], inline: [] };
    const emulatorIam = () => new IAMClient(context().target.clientConfig);
    // IAM through the plane's own URL: the keys it issues are the ones AWS_IAM routes can verify.
    const planeIam = () => new IAMClient({ ...context().target.clientConfig, endpoint: context().plane.url });
    let api = '';
    let policyArn = '';
    let iterator = '';
    const keys: Record<string, Credentials> = {};

    const routes = (): Route[] => [
      { method: 'GET', path: '/streams' },
      { method: 'GET', path: '/streams/events/sharditerator?shard-id=shardId-000000000000' },
      { method: 'PUT', path: '/streams/events/record', body: JSON.stringify({ Data: { iamCaller: stamp }, PartitionKey: `iam-${stamp}` }) },
      { method: 'GET', path: '/streams/events/records' },
    ];
    const send = (route: Route, credentials: Credentials): Promise<SmokeResponse> =>
      call(`${api}${route.path}`, {
        method: route.method,
        sign: { credentials, region: context().target.region },
        headers: { 'content-type': 'application/json', ...(route.path.endsWith('/records') ? { 'shard-iterator': iterator } : {}) },
        body: route.body,
      });
    const routeArn = (route: Route) => {
      const u = new URL(`${api}${route.path}`);
      const [, apiId, stage] = u.pathname.split('/');
      return `arn:aws:execute-api:${context().target.region}:${ACCOUNT}:${apiId}/${stage}/${route.method}${u.pathname.slice(`/${apiId}/${stage}`.length)}`;
    };

    beforeAll(async () => {
      const o = await context().target.outputs(KINESIS_PROXY);
      api = outputString(o, 'api_url', KINESIS_PROXY);
      policyArn = outputString(o, 'client_policy_arn', KINESIS_PROXY);
      const iam = planeIam();
      for (const UserName of [USERS.full, USERS.getStreams, USERS.none]) {
        await iam.send(new CreateUserCommand({ UserName }));
        made.users.push(UserName);
        const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
        made.keys.push([UserName, AccessKey!.AccessKeyId!]);
        keys[UserName] = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
      }
      // The stack's client policy: execute-api:Invoke on exactly its four routes.
      await iam.send(new AttachUserPolicyCommand({ UserName: USERS.full, PolicyArn: policyArn }));
      made.userPolicies.push([USERS.full, policyArn]);
      const getStreams = routes()[0];
      await iam.send(
        new PutUserPolicyCommand({
          UserName: USERS.getStreams,
          PolicyName: 'invoke-get-streams',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: routeArn(getStreams) }] }),
        }),
      );
      made.inline.push([USERS.getStreams, 'invoke-get-streams']);
      const iteratorAnswer = await call(`${api}${routes()[1].path}`, { sign: { credentials: EMULATOR_CREDENTIALS, region: context().target.region } });
      iterator = String(iteratorAnswer.json().ShardIterator);
    }, 120_000);

    afterAll(async () => {
      const iam = emulatorIam();
      for (const [UserName, AccessKeyId] of made.keys) await iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId })).catch(() => undefined);
      for (const [UserName, PolicyArn] of made.userPolicies) await iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn })).catch(() => undefined);
      for (const [UserName, PolicyName] of made.inline) await iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName })).catch(() => undefined);
      for (const UserName of made.users) await iam.send(new DeleteUserCommand({ UserName })).catch(() => undefined);
      if (made.role) {
        if (made.rolePolicy) await iam.send(new DetachRolePolicyCommand({ RoleName: made.role, PolicyArn: made.rolePolicy })).catch(() => undefined);
        await iam.send(new DeleteRoleCommand({ RoleName: made.role })).catch(() => undefined);
      }
    });

    it('answers 200 on every route to a user with the stack\'s client policy', async () => {
      for (const route of routes()) {
        const r = await send(route, keys[USERS.full]);
        expect({ route: `${route.method} ${route.path}`, status: r.status }).toEqual({ route: `${route.method} ${route.path}`, status: 200 });
      }
    });

    it('answers API Gateway\'s 403 ACCESS_DENIED, naming user and route, where the user\'s policies grant no execute-api:Invoke', async () => {
      for (const route of routes()) {
        const r = await send(route, keys[USERS.none]);
        expect(r.status).toBe(403);
        expect(r.json()).toMatchObject({
          type: 'ACCESS_DENIED',
          message: `User: arn:aws:iam::${ACCOUNT}:user/${USERS.none} is not authorized to perform: execute-api:Invoke on resource: ${routeArn(route)}`,
        });
      }
    });

    it('lets a user granted one route ARN call that route only', async () => {
      const [getStreams, ...others] = routes();
      expect((await send(getStreams, keys[USERS.getStreams])).status).toBe(200);
      for (const route of others) expect((await send(route, keys[USERS.getStreams])).json()).toMatchObject({ type: 'ACCESS_DENIED' });
    });

    it('refuses a signature by a wrong secret (403 INVALID_SIGNATURE) and a key the emulator issued elsewhere (403)', async () => {
      const wrong = await send(routes()[0], { ...keys[USERS.full], secretAccessKey: `${keys[USERS.full].secretAccessKey.slice(1)}x` });
      expect(wrong.status).toBe(403);
      expect(wrong.json()).toMatchObject({ type: 'INVALID_SIGNATURE', message: expect.stringContaining('The request signature we calculated does not match') });
      // Created at the emulator directly: serve:local never saw its secret, and moto's state dump fails on this deployment.
      const iam = emulatorIam();
      await iam.send(new CreateUserCommand({ UserName: USERS.direct }));
      made.users.push(USERS.direct);
      await iam.send(new AttachUserPolicyCommand({ UserName: USERS.direct, PolicyArn: policyArn }));
      made.userPolicies.push([USERS.direct, policyArn]);
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: USERS.direct }));
      made.keys.push([USERS.direct, AccessKey!.AccessKeyId!]);
      const unknown = await send(routes()[0], { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      expect(unknown.status).toBe(403);
      expect(unknown.json()).toMatchObject({ type: 'ACCESS_DENIED', message: 'The security token included in the request is invalid.' });
    });

    it('refuses a key deactivated in the emulator', async () => {
      const iam = emulatorIam();
      await iam.send(new UpdateAccessKeyCommand({ UserName: USERS.getStreams, AccessKeyId: keys[USERS.getStreams].accessKeyId, Status: 'Inactive' }));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await send(routes()[0], keys[USERS.getStreams])).status).toBe(403);
    });

    it('verifies an assumed role\'s temporary credentials with their session token, and evaluates the role\'s policies', async () => {
      const iam = planeIam();
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] };
      const { Role } = await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: JSON.stringify(trust) }));
      made.role = ROLE;
      const session = await assumeRole(context(), Role!.Arn!);
      expect((await send(routes()[0], session)).json()).toMatchObject({
        type: 'ACCESS_DENIED',
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/iam-callers is not authorized to perform: execute-api:Invoke on resource: ${routeArn(routes()[0])}`,
      });
      await iam.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: policyArn }));
      made.rolePolicy = policyArn;
      // The role's policies are cached for 2 s, as IAM changes take a moment on AWS too.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await send(routes()[0], session)).status).toBe(200);
      expect((await send(routes()[0], { ...session, sessionToken: undefined })).status).toBe(403);
    });
  });
};

/** STS AssumeRole through serve:local's root, as the AWS CLI sends it (Query protocol), signed by the emulator's root key. */
async function assumeRole(context: PlaneContext, roleArn: string): Promise<Credentials> {
  const body = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'iam-callers' }).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: new URL(context.plane.url).host };
  const signed = signHeaders({ method: 'POST', path: '/', rawQuery: '', headers, body }, EMULATOR_CREDENTIALS, context.target.region, 'sts');
  const response = await fetch(`${context.plane.url}/`, { method: 'POST', headers: { ...headers, ...signed }, body });
  const xml = await response.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';
  if (!response.ok) throw new Error(`AssumeRole through serve:local answered ${response.status}: ${xml.slice(0, 300)}`);
  return { accessKeyId: field('AccessKeyId'), secretAccessKey: field('SecretAccessKey'), sessionToken: field('SessionToken') };
}
