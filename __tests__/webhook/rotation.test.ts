import { randomUUID } from 'crypto';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { RotationEvent } from '../../lambdas/webhook/rotate-secret';
import { readLogin, rotateNow } from '../../scripts/lib/webhook-secret';
import { WEBHOOK_USERNAME } from '../../stacks/webhook/stack';
import { captureLogs } from '../support/logs';
import { useEmulator } from '../support/moto';

/**
 * The rotation function's four steps against moto's Secrets Manager: the first rotation creates
 * the first value of an empty secret, later ones replace it, every step survives a retry, and the
 * version stages end as Secrets Manager requires (AWSCURRENT moved, no AWSPENDING left).
 */

type Handler = (event: RotationEvent) => Promise<void>;

let client: SecretsManagerClient;
let handler: Handler;

useEmulator();
beforeAll(async () => {
  process.env.BASIC_AUTH_USERNAME = WEBHOOK_USERNAME;
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  client = new SecretsManagerClient({});
  ({ handler } = (await import('../../lambdas/webhook/rotate-secret')) as { handler: Handler });
});


async function stages(secretId: string): Promise<Record<string, string[]>> {
  return (await client.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {};
}

async function valueOf(secretId: string, stage: string, versionId?: string): Promise<{ username: string; password: string }> {
  const value = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: versionId }));
  return JSON.parse(value.SecretString!) as { username: string; password: string };
}

function step(Step: string, SecretId: string, ClientRequestToken: string): Promise<void> {
  return handler({ Step, SecretId, ClientRequestToken });
}

/** A secret with no value, as Terraform creates it. */
async function emptySecret(): Promise<string> {
  return (await client.send(new CreateSecretCommand({ Name: `webhook-${randomUUID()}` }))).ARN!;
}

describe('webhook secret rotation', () => {
  let secretId: string;
  let firstVersion: string;

  it('creates the first value of an empty secret: a generated password for the configured user', async () => {
    secretId = await emptySecret();
    await expect(readLogin(client, secretId)).rejects.toThrow(/no current value.*npm run serve:local/s);

    firstVersion = await rotateNow(client, secretId, 'local');

    expect(await stages(secretId)).toEqual({ [firstVersion]: ['AWSCURRENT'] });
    const value = await valueOf(secretId, 'AWSCURRENT');
    expect(value.username).toBe(WEBHOOK_USERNAME);
    expect(value.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives the credentials script the login and a ready Authorization header', async () => {
    const login = await readLogin(client, secretId);
    const current = await valueOf(secretId, 'AWSCURRENT');
    expect(login).toEqual({
      username: WEBHOOK_USERNAME,
      password: current.password,
      authorization: `Basic ${Buffer.from(`${WEBHOOK_USERNAME}:${current.password}`).toString('base64')}`,
    });
  });

  it('rotates step by step: AWSPENDING first, AWSCURRENT only after finishSecret, AWSPREVIOUS kept', async () => {
    const before = await valueOf(secretId, 'AWSCURRENT');
    const token = randomUUID();

    await step('createSecret', secretId, token);
    expect((await stages(secretId))[token]).toEqual(['AWSPENDING']);
    const pending = await valueOf(secretId, 'AWSPENDING', token);
    expect(pending.username).toBe(WEBHOOK_USERNAME);
    expect(pending.password).not.toBe(before.password);
    expect(await valueOf(secretId, 'AWSCURRENT')).toEqual(before);

    // Secrets Manager retries a step with the same token: the pending value must not change.
    await step('createSecret', secretId, token);
    expect(await valueOf(secretId, 'AWSPENDING', token)).toEqual(pending);

    await step('setSecret', secretId, token);
    await step('testSecret', secretId, token);
    expect(await valueOf(secretId, 'AWSCURRENT')).toEqual(before);

    await step('finishSecret', secretId, token);
    const after = await stages(secretId);
    expect(after[token]).toEqual(['AWSCURRENT']);
    expect(after[firstVersion]).toEqual(['AWSPREVIOUS']);
    expect(Object.values(after).flat()).not.toContain('AWSPENDING');
    expect(await valueOf(secretId, 'AWSCURRENT')).toEqual(pending);

    // A retried finishSecret (or any step) on the current version changes nothing.
    await step('finishSecret', secretId, token);
    await step('createSecret', secretId, token);
    expect(await stages(secretId)).toEqual(after);
  });

  it('refuses to start a second rotation while another version is AWSPENDING', async () => {
    const inProgress = randomUUID();
    await step('createSecret', secretId, inProgress);
    await expect(step('createSecret', secretId, randomUUID())).rejects.toThrow(`version ${inProgress} is AWSPENDING`);
    await expect(step('finishSecret', secretId, randomUUID())).rejects.toThrow(/not staged for rotation/);
    for (const name of ['setSecret', 'testSecret', 'finishSecret']) await step(name, secretId, inProgress);
    expect((await stages(secretId))[inProgress]).toEqual(['AWSCURRENT']);
  });

  it('stops at testSecret when the pending value is not a login', async () => {
    const token = randomUUID();
    await client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: 'not json', VersionStages: ['AWSPENDING'] }));
    await expect(step('testSecret', secretId, token)).rejects.toThrow(/AWSPENDING value .* is not \{"username","password"\} JSON/);
    const current = (await stages(secretId))[token];
    expect(current).toEqual(['AWSPENDING']);
  });

  it('rejects an unknown step and a secret that is not set up for rotation', async () => {
    const other = await emptySecret();
    await expect(step('createSecret', other, randomUUID())).rejects.toThrow(/is not enabled for rotation/);
    await rotateNow(client, other, 'local');
    const token = randomUUID();
    await step('createSecret', other, token);
    await expect(step('dropSecret', other, token)).rejects.toThrow('Unknown rotation step "dropSecret"');
  });

  it('never writes a password to its log, on either stream', async () => {
    const logs = captureLogs();
    const saved = process.env.POWERTOOLS_LOG_LEVEL;
    try {
      // A copy of the function that logs every step: the shared one was loaded at level ERROR.
      process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
      const verbose = await new Promise<Handler>((resolve) => {
        jest.isolateModules(() => resolve((require('../../lambdas/webhook/rotate-secret') as { handler: Handler }).handler));
      });
      const secret = await emptySecret();
      await rotateNow(client, secret, 'local');
      const first = (await valueOf(secret, 'AWSCURRENT')).password;
      const token = randomUUID();
      for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) await verbose({ Step: name, SecretId: secret, ClientRequestToken: token });
      const second = (await valueOf(secret, 'AWSCURRENT')).password;

      expect(second).not.toBe(first);
      expect(logs.entries().map((e) => e.message)).toEqual(expect.arrayContaining(['created the next value', 'pending value is now AWSCURRENT']));
      expect(logs.text()).not.toContain(first);
      expect(logs.text()).not.toContain(second);
    } finally {
      process.env.POWERTOOLS_LOG_LEVEL = saved;
      logs.restore();
    }
  });
});
