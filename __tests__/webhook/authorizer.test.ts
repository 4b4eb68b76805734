import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { startCountingProxy, CountingProxy } from '../support/counting-proxy';
import { useLogCapture } from '../support/logs';
import { Moto, useEmulator } from '../support/moto';

/**
 * The Basic-auth authorizer against a real secret in moto. Its SDK calls go through a counting
 * proxy, so "one Secrets Manager call, then the cache" is measured on the wire.
 */

type Handler = (event: APIGatewayRequestAuthorizerEventV2) => Promise<APIGatewaySimpleAuthorizerResult & { context?: Record<string, string> }>;

const USERNAME = 'webhook-client';
const PASSWORD = 'Kx8_rT2-vQ9zLm4pW7yN1bHc5dFg3jS6aE0uO';
const GET_SECRET = 'secretsmanager.GetSecretValue';

let moto: Moto;
let proxy: CountingProxy;
let secrets: SecretsManagerClient;
let secretArn: string;
let handler: Handler;

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function request(authorization?: string): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/$default/POST/submit',
    identitySource: authorization === undefined ? [] : [authorization],
    routeKey: 'POST /submit',
    rawPath: '/submit',
    rawQueryString: '',
    cookies: [],
    // Payload 2.0 delivers header names in lower case.
    headers: authorization === undefined ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', authorization },
    queryStringParameters: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'POST', path: '/submit', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'curl/8' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: 'POST /submit',
      stage: '$default',
      time: '21/Nov/2026:04:00:00 +0000',
      timeEpoch: 1795000000000,
    },
    pathParameters: {},
    stageVariables: {},
  } as APIGatewayRequestAuthorizerEventV2;
}

const logs = useLogCapture();
const emulator = useEmulator();
beforeAll(async () => {
  moto = emulator();
  secrets = new SecretsManagerClient({});
  const created = await secrets.send(
    new CreateSecretCommand({ Name: 'sp-test-webhook/basic-auth', SecretString: JSON.stringify({ username: USERNAME, password: PASSWORD }) }),
  );
  secretArn = created.ARN!;

  proxy = await startCountingProxy(moto.endpoint);
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  process.env.SECRET_ID = secretArn;
  process.env.SECRET_MAX_AGE_SECONDS = '300';
  process.env.POWERTOOLS_SERVICE_NAME = 'authorizer-test';
  // Everything the handler logs is kept, to prove no credential ever reaches a log line.
  ({ handler } = (await import('../../lambdas/webhook/authorizer')) as { handler: Handler });
});

afterAll(async () => {
  await proxy?.close();
});

describe('webhook authorizer', () => {
  it('allows the stored username and password and names the user in the context', async () => {
    await expect(handler(request(basic(USERNAME, PASSWORD)))).resolves.toEqual({ isAuthorized: true, context: { username: USERNAME } });
  });

  it('accepts the scheme name in any case, as RFC 7617 allows', async () => {
    const token = Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64');
    await expect(handler(request(`basic ${token}`))).resolves.toMatchObject({ isAuthorized: true });
    await expect(handler(request(`BASIC ${token}`))).resolves.toMatchObject({ isAuthorized: true });
  });

  it('takes everything after the first colon as the password, so a longer one is denied', async () => {
    await expect(handler(request(basic(USERNAME, `${PASSWORD}:extra`)))).resolves.toEqual({ isAuthorized: false });
  });

  it.each([
    ['a wrong password', basic(USERNAME, `${PASSWORD}x`)],
    ['a password differing only in its last character', basic(USERNAME, `${PASSWORD.slice(0, -1)}P`)],
    ['an empty password', basic(USERNAME, '')],
    ['a wrong user', basic('someone-else', PASSWORD)],
    ['a user that is a prefix of the real one', basic(USERNAME.slice(0, 4), PASSWORD)],
    ['swapped username and password', basic(PASSWORD, USERNAME)],
  ])('denies %s', async (_case, header) => {
    await expect(handler(request(header))).resolves.toEqual({ isAuthorized: false });
  });

  it.each([
    ['a missing Authorization header', undefined],
    ['an empty header', ''],
    ['the scheme without credentials', 'Basic'],
    ['malformed base64', 'Basic !!not*base64!!'],
    ['base64 of the wrong length', 'Basic d2ViaG9vaw'],
    ['credentials without a colon', `Basic ${Buffer.from(`${USERNAME}${PASSWORD}`).toString('base64')}`],
    ['credentials with an empty username', `Basic ${Buffer.from(`:${PASSWORD}`).toString('base64')}`],
    ['a Bearer token', `Bearer ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`],
    ['Digest auth', 'Digest username="webhook-client", realm="api", nonce="abc", response="def"'],
    ['credentials not base64-encoded', `Basic ${USERNAME}:${PASSWORD}`],
    ['control characters in the header', `Basic\u0000${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`],
    ['an unpaired surrogate in the header', `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}\ud83d`],
    ['a NUL inside the decoded username', basic(`${USERNAME}\u0000`, PASSWORD)],
    ['an unpaired surrogate inside the decoded password', basic(USERNAME, `${PASSWORD}\ud83d`)],
  ])('denies %s without throwing', async (_case, header) => {
    await expect(handler(request(header))).resolves.toEqual({ isAuthorized: false });
  });

  it('denies a request whose headers are missing altogether', async () => {
    const event = { ...request(), headers: undefined } as unknown as APIGatewayRequestAuthorizerEventV2;
    await expect(handler(event)).resolves.toEqual({ isAuthorized: false });
  });

  it('fetched the secret from Secrets Manager once for all the requests above', () => {
    expect(proxy.count(GET_SECRET)).toBe(1);
  });

  it('keeps using the cached value for many calls, even after the secret changes, within its max age', async () => {
    const before = proxy.count(GET_SECRET);
    await secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify({ username: USERNAME, password: 'rotated-password-value' }) }));
    const results = await Promise.all(Array.from({ length: 25 }, () => handler(request(basic(USERNAME, PASSWORD)))));
    expect(results.every((r) => r.isAuthorized)).toBe(true);
    await expect(handler(request(basic(USERNAME, 'rotated-password-value')))).resolves.toEqual({ isAuthorized: false });
    expect(proxy.count(GET_SECRET) - before).toBe(0);
  });

  it('never logs a password, a header or the decoded credentials', () => {
    const messages = logs.entries().map((e) => e.message);
    expect(messages).toContain('denied');
    expect(messages).toContain('allowed');
    for (const sensitive of [PASSWORD, 'rotated-password-value', Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'), 'someone-else']) {
      expect(logs.text()).not.toContain(sensitive);
    }
  });
});

describe('webhook authorizer with an unreadable secret', () => {
  it('throws (API Gateway answers 500) instead of allowing or crashing on a later request', async () => {
    const isolated = await new Promise<Handler>((resolve) => {
      jest.isolateModules(() => {
        process.env.SECRET_ID = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:does-not-exist-AbCdEf';
        resolve((require('../../lambdas/webhook/authorizer') as { handler: Handler }).handler);
      });
    });
    logs.clear();
    await expect(isolated(request(basic(USERNAME, PASSWORD)))).rejects.toThrow();
    // A malformed header is still a plain denial: the secret is not even read.
    await expect(isolated(request('Bearer x'))).resolves.toEqual({ isAuthorized: false });
    expect(logs.text()).not.toContain(PASSWORD);
  });
});
