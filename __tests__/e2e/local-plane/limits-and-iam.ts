import * as net from 'net';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRolePolicyCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signHeaders } from '../../../local/aws/sigv4';
import { parseDocument } from '../../../local/iam/identity-policies';
import { MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES, MAX_URL_CHARACTERS } from '../../../local/server/limits';
import { call } from '../../../scripts/lib/smoke-http';
import { eventually, SmokeRun } from '../../../scripts/lib/smoke-runner';
import { KINESIS_PROXY } from '../../../scripts/lib/smoke-kinesis-proxy';
import { KINESIS_PUTRECORD, smokeKinesisPutRecord } from '../../../scripts/lib/smoke-kinesis-putrecord';
import { outputString } from '../../../scripts/lib/smoke-target';
import { WEBHOOK } from '../../../scripts/lib/smoke-webhook';
import { readLogin } from '../../../scripts/lib/webhook-secret';
import { PlaneSuite } from './context';

/**
 * AWS's documented limits (issue 19 item 3) and IAM (item 4), through serve:local: each limit at the
 * limit and one past it, SigV4's scope, signed host and session token, a shard iterator of another
 * stream and a permission removed from an integration role (IAM users' keys: iam-callers.ts).
 */
const CUSTOMERS = 'apigw-lambda-dynamodb-customers';

/** One HTTP/1.1 request written byte for byte (fetch adds headers of its own), answered status and body. */
async function rawRequest(url: string, method: string, headers: readonly [string, string][], body = ''): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const head = [`${method} ${u.pathname}${u.search} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  const socket = net.connect(Number(u.port), u.hostname);
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', resolve);
    socket.on('error', reject);
    socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

/** Header values that bring the request line plus values to exactly `total` bytes, with `host` and `content-length: 0`, `connection: close`. */
function padTo(total: number, method: string, url: string, fixed: readonly [string, string][]): [string, string][] {
  const u = new URL(url);
  const used = Buffer.byteLength(`${method} ${u.pathname}${u.search} HTTP/1.1`) + fixed.reduce((n, [, v]) => n + Buffer.byteLength(v), 0) + '0'.length + 'close'.length;
  return [...fixed, ['X-Pad', 'p'.repeat(total - used)]];
}

export const limitsAndIam: PlaneSuite = (context) => {
  describe('AWS limits, SigV4 and IAM through serve:local', () => {
    const sign = async () => ({ credentials: await context().target.credentials(), region: context().target.region });
    const outputs = (stack: string) => context().target.outputs(stack);
    const client = <T>(Client: new (config: any) => T): T => new Client(context().target.clientConfig);

    it('serves 10,240 bytes of request line and header values and refuses one more with 431, on REST and HTTP APIs', async () => {
      const health = `${outputString(await outputs(CUSTOMERS), 'api_url', CUSTOMERS)}/health`;
      const host: [string, string] = ['Host', new URL(health).host];
      expect(await rawRequest(health, 'GET', padTo(MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES, 'GET', health, [host]))).toMatchObject({ status: 200 });
      expect(await rawRequest(health, 'GET', padTo(MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES + 1, 'GET', health, [host]))).toEqual({
        status: 431,
        body: '{"message":"Request Header Fields Too Large"}',
      });
      const submit = `${outputString(await outputs(WEBHOOK), 'api_url', WEBHOOK).replace(/\/$/, '')}/submit`;
      // No Authorization header: the route's authorizer answers 401 once the quota holds.
      expect((await rawRequest(submit, 'POST', padTo(MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES, 'POST', submit, [host]))).status).toBe(401);
      expect((await rawRequest(submit, 'POST', padTo(MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES + 1, 'POST', submit, [host]))).status).toBe(431);
      // 11 KB of header values, as the issue sent.
      expect((await call(health, { headers: { 'x-a': 'a'.repeat(5632), 'x-b': 'b'.repeat(5632) } })).status).toBe(431);
    });

    it('refuses a REST URL over 10,240 characters with 414 and serves a long one within the quotas', async () => {
      const health = `${outputString(await outputs(CUSTOMERS), 'api_url', CUSTOMERS)}/health`;
      const withLength = (n: number) => `${health}?pad=${'u'.repeat(n - `https://${new URL(health).host}${new URL(health).pathname}?pad=`.length)}`;
      expect((await call(withLength(MAX_URL_CHARACTERS + 1))).status).toBe(414);
      expect((await call(withLength(10_000))).status).toBe(200);
    });

    it('puts a Kinesis record of exactly 1 MiB (data plus partition key) and refuses one byte more, as Kinesis does (400 BadRequest)', async () => {
      const o = await outputs(KINESIS_PUTRECORD);
      const url = `${outputString(o, 'api_url', KINESIS_PUTRECORD)}/orders`;
      const headers = { 'content-type': 'application/json', 'x-api-key': outputString(o, 'api_key_value', KINESIS_PUTRECORD) };
      // The record holds the JSON text of Data: a string of n characters is n + 2 bytes; the key is 1 byte.
      const put = (n: number) => call(url, { method: 'PUT', headers, body: JSON.stringify({ Data: 'd'.repeat(n), PartitionKey: 'k' }) });
      const atLimit = await put(1024 * 1024 - 3);
      expect(atLimit.status).toBe(200);
      const over = await put(1024 * 1024 - 2);
      expect(over.status).toBe(400);
      expect(over.json()).toMatchObject({ type: 'BadRequest', message: 'Kinesis rejected the request' });
      expect((await put(1_100_000)).status).toBe(400);
    });

    it('passes SQS\'s refusal of NUL, ESC and U+FFFF in a webhook body through (400 InvalidMessageContents); allowed characters are queued and stored', async () => {
      const o = await outputs(WEBHOOK);
      const submit = `${outputString(o, 'api_url', WEBHOOK).replace(/\/$/, '')}/submit`;
      const login = await readLogin(client(SecretsManagerClient), outputString(o, 'secret_arn', WEBHOOK));
      const post = (message: string, eventId = `limits-${Date.now()}`) =>
        call(submit, { method: 'POST', headers: { authorization: login.authorization, 'content-type': 'application/json' }, body: `{"eventId":"${eventId}","message":"${message}"}` });
      for (const [name, char] of [['NUL', '\u0000'], ['ESC', '\u001b'], ['U+FFFF', '\uffff']]) {
        const refused = await post(`before${char}after`);
        expect({ name, status: refused.status }).toEqual({ name, status: 400 });
        expect(refused.json()).toMatchObject({ __type: 'com.amazonaws.sqs#InvalidMessageContents' });
      }
      // The edges of the allowed set that JSON also allows raw in a string: space, U+FFFD, U+10FFFF.
      const eventId = `limits-edge-${Date.now()}`;
      expect((await post(' \ufffd \u{10ffff}', eventId)).status).toBe(200);
      const dynamodb = client(DynamoDBClient);
      const table = outputString(o, 'table_name', WEBHOOK);
      await eventually('the stored submission', 30_000, async () => ((await dynamodb.send(new GetItemCommand({ TableName: table, Key: { eventId: { S: eventId } } }))).Item ? true : undefined));
      await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { eventId: { S: eventId } } }));
    });

    it('refuses SigV4 scoped to another region, without a signed host, or with an invented session token (403)', async () => {
      const streams = `${outputString(await outputs(KINESIS_PROXY), 'api_url', KINESIS_PROXY)}/streams`;
      const { credentials, region } = await sign();
      expect((await call(streams, { sign: { credentials, region } })).status).toBe(200);
      const otherRegion = await call(streams, { sign: { credentials, region: 'eu-west-1' } });
      expect(otherRegion.status).toBe(403);
      expect(otherRegion.text).toContain("Credential should be scoped to a valid region, not 'eu-west-1'.");
      expect((await call(streams, { sign: { credentials: { ...credentials, sessionToken: 'invented-token' }, region } })).status).toBe(403);
      const u = new URL(streams);
      const signed = signHeaders({ method: 'GET', path: u.pathname, rawQuery: '', headers: { 'x-probe': '1' }, body: '' }, credentials, region, 'execute-api');
      const unsignedHost = await call(streams, { headers: { 'x-probe': '1', ...signed } });
      expect(unsignedHost.status).toBe(403);
      expect(unsignedHost.text).toContain("'Host' or ':authority' must be a 'SignedHeader'");
    });

    it('refuses an iterator of another pipeline\'s stream on GET /streams/events/records: 500 InternalError (the role\'s policy)', async () => {
      const physicalOrders = (await outputs(KINESIS_PUTRECORD)).streams as Record<string, string>;
      const { ShardIterator } = await client(KinesisClient).send(
        new GetShardIteratorCommand({ StreamName: physicalOrders.orders, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const proxy = outputString(await outputs(KINESIS_PROXY), 'api_url', KINESIS_PROXY);
      const r = await call(`${proxy}/streams/events/records`, { sign: await sign(), headers: { 'shard-iterator': ShardIterator! } });
      expect(r.status).toBe(500);
      expect(r.json()).toMatchObject({ type: 'InternalError' });
    });

    it('fails the smoke step with AWS\'s error when a permission is removed from an integration role, and passes again once restored', async () => {
      const iam = client(IAMClient);
      const physicalOrders = ((await outputs(KINESIS_PUTRECORD)).streams as Record<string, string>).orders;
      const roles = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
      let role: { name: string; document: string } | undefined;
      for (const r of roles) {
        const policy = await iam.send(new GetRolePolicyCommand({ RoleName: r.RoleName!, PolicyName: 'permissions' })).catch(() => undefined);
        const document = policy?.PolicyDocument && JSON.stringify(parseDocument(policy.PolicyDocument));
        if (document?.includes(`stream/${physicalOrders}`)) role = { name: r.RoleName!, document };
      }
      if (!role) throw new Error(`No integration role's "permissions" policy names stream ${physicalOrders}`);
      const original = JSON.parse(role.document) as { Statement: { Action: string | string[] }[] };
      // The statement granting kinesis:PutRecord is replaced by one granting only DescribeStreamSummary (a policy needs a statement).
      const withoutPut = {
        ...original,
        Statement: original.Statement.map((s) => (([] as string[]).concat(s.Action).includes('kinesis:PutRecord') ? { ...s, Action: 'kinesis:DescribeStreamSummary' } : s)),
      };
      const putPolicy = (document: object) => iam.send(new PutRolePolicyCommand({ RoleName: role!.name, PolicyName: 'permissions', PolicyDocument: JSON.stringify(document) }));
      const putStep = async () => {
        const run = new SmokeRun(() => undefined);
        await smokeKinesisPutRecord(run, context().target);
        // The smoke puts to the first served stream (outputs are sorted: clicks before orders); every PutRecord grant is removed.
        return run.results.find((r) => /^PUT \/[^ /]+ → 200$/.test(r.step));
      };
      await putPolicy(withoutPut);
      try {
        const failed = await eventually('the refusal (after the policy cache)', 15_000, async () => {
          const step = await putStep();
          return step?.status === 'FAIL' ? step : undefined;
        });
        expect(failed.detail).toMatch(/^expected 200, got 500: .*"type":\s*"InternalError"/);
      } finally {
        await putPolicy(original);
      }
      await eventually('the restored permission', 15_000, async () => ((await putStep())?.status === 'PASS' ? true : undefined));
    }, 180_000);
  });
};
