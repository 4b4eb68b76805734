import { randomUUID } from 'crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { loadConfig, PipelinesConfig } from '../../lib/config';
import { basicAuthorization, Credentials, parseStoredCredentials } from '../../lambdas/webhook/credentials';
import type { RotationEvent } from '../../lambdas/webhook/rotate-secret';
import { WEBHOOK_USERNAME, webhookSecretName } from '../../stacks/webhook/stack';

/** Shared by `npm run webhook:credentials` and `npm run webhook:rotate`. */

const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/**
 * Points the AWS SDK (of this process, and of the rotation code it may load) at the configured
 * target: the local emulator with its fake credentials, or the normal AWS credential chain.
 */
export function useTarget(config: PipelinesConfig): void {
  process.env.AWS_REGION = config.region;
  if (config.target !== 'local') return;
  process.env.AWS_ENDPOINT_URL = config.localEndpoint;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

/** What both scripts start from: the validated config, the SDK pointed at its target, and the secret to use. */
export interface WebhookSecretContext {
  readonly config: PipelinesConfig;
  readonly client: SecretsManagerClient;
  readonly secretId: string;
}

/** Loads the config, selects the target, and takes `--secret-id <arn>` or this environment's secret name. */
export function webhookSecretContext(args: readonly string[]): WebhookSecretContext {
  const config = loadConfig({ env: process.env });
  useTarget(config);
  const idFlag = args.indexOf('--secret-id');
  const secretId = idFlag >= 0 ? args[idFlag + 1] : webhookSecretName(config);
  if (!secretId) throw new Error('--secret-id needs a value: the secret_arn output of the stack.');
  return { config, client: new SecretsManagerClient({}), secretId };
}

export interface WebhookLogin extends Credentials {
  /** Value of the `Authorization` header a client sends. */
  readonly authorization: string;
}

/** The current login, or an error that says how to create one. */
export async function readLogin(client: SecretsManagerClient, secretId: string): Promise<WebhookLogin> {
  let secretString: string | undefined;
  try {
    secretString = (await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }))).SecretString;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new Error(
        `Secret ${secretId} has no current value (or does not exist). Deploy the apigw-sqs-lambda-dynamodb stack; ` +
          'its first rotation creates the value. If it was deployed with PIPELINES_TARGET=local, start `npm run serve:local`: it makes the first rotation.',
      );
    }
    throw error;
  }
  const credentials = parseStoredCredentials(secretString);
  if (!credentials) throw new Error(`Secret ${secretId} does not hold {"username","password"} JSON; run \`npm run webhook:rotate\` to replace it.`);
  return { ...credentials, authorization: basicAuthorization(credentials) };
}

/**
 * Rotates now. On AWS, Secrets Manager runs the deployed rotation function, and this waits (up to
 * `timeoutMs`) for the new version to become AWSCURRENT. Against the emulator, which cannot run
 * Lambda functions, the same rotation code runs in this process, step by step.
 */
export async function rotateNow(client: SecretsManagerClient, secretId: string, target: PipelinesConfig['target'], timeoutMs = 60_000): Promise<string> {
  if (target === 'local') return rotateInProcess(client, secretId);
  const { VersionId: versionId } = await client.send(new RotateSecretCommand({ SecretId: secretId }));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { VersionIdsToStages: versions = {} } = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (versionId && versions[versionId]?.includes('AWSCURRENT')) return versionId;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(`Rotation ${versionId} of ${secretId} did not finish within ${timeoutMs / 1000}s; see the rotation function's log group.`);
}

async function rotateInProcess(client: SecretsManagerClient, secretId: string): Promise<string> {
  const { RotationEnabled: enabled } = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!enabled) {
    // Marks the secret as rotating (the rotation code refuses otherwise); with no Lambda attached
    // the emulator runs nothing itself.
    await client.send(new RotateSecretCommand({ SecretId: secretId, RotationRules: { AutomaticallyAfterDays: 30 } }));
  }
  process.env.BASIC_AUTH_USERNAME ??= WEBHOOK_USERNAME;
  // The function's own step log is for CloudWatch; on a terminal only problems matter.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { handler } = (await import('../../lambdas/webhook/rotate-secret')) as { handler: (event: RotationEvent) => Promise<void> };
  const token = randomUUID();
  for (const step of ROTATION_STEPS) {
    await handler({ Step: step, SecretId: secretId, ClientRequestToken: token });
  }
  return token;
}
