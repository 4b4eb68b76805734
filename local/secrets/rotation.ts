import { randomUUID } from 'crypto';
import {
  DescribeSecretCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { LOCAL_ROTATION_DAYS_TAG, LOCAL_ROTATION_FUNCTION_TAG } from '../../lib/constructs/rotating-secret';
import { emulatorClient, EmulatorTarget } from '../aws/clients';
import { FunctionRegistry } from '../lambda/functions';

/**
 * Secrets Manager's part in rotation, which the emulator cannot play: on AWS, configuring rotation
 * (the provider's aws_secretsmanager_secret_rotation calls RotateSecret) rotates at once, and then
 * on the schedule, Secrets Manager invoking the rotation function once per step with the same
 * ClientRequestToken: createSecret, setSecret, testSecret, finishSecret.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_turn-on-for-other.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 *
 * moto 5.2.1 (secretsmanager/models.py, rotate_secret) given a Lambda ARN invokes it through its
 * own Lambda backend (Docker, absent here) and, on a secret without versions, fails before that; so
 * the local deployment has no schedule and the secret carries the function and the days as tags
 * (lib/constructs/rotating-secret.ts). Here each tagged secret is rotated by the DEPLOYED function,
 * run in the local Lambda sandbox, when a rotation is due: first when it has no AWSCURRENT version,
 * then when that version is older than the rotation days. The AWSPENDING/AWSCURRENT staging labels
 * are moved by the function's own calls to moto's Secrets Manager, as on AWS.
 */
export interface SecretRotationsOptions {
  readonly target: EmulatorTarget;
  readonly functions: FunctionRegistry;
  readonly log: (line: string) => void;
  /** How often due rotations are looked for while serve:local runs. @default one hour */
  readonly checkEveryMs?: number;
  /** The clock, for tests. @default Date.now */
  readonly now?: () => number;
}

export interface RotatedSecret {
  readonly secretArn: string;
  readonly functionName: string;
  readonly versionId: string;
  readonly reason: 'first' | 'scheduled';
}

export interface SecretRotations {
  /** Rotations done when serve:local started (awaited before it serves). */
  readonly atStart: readonly RotatedSecret[];
  stop(): void;
}

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
const DAY_MS = 86_400_000;

interface RotatingSecretRef {
  readonly arn: string;
  readonly functionArn: string;
  readonly days: number;
}

export async function startSecretRotations(options: SecretRotationsOptions): Promise<SecretRotations> {
  const client = emulatorClient(SecretsManagerClient, options.target);
  const now = options.now ?? Date.now;
  const secrets = await taggedSecrets(client);
  const rotateDue = async (): Promise<RotatedSecret[]> => {
    const done: RotatedSecret[] = [];
    for (const secret of secrets) {
      const reason = await dueRotation(client, secret, now());
      if (!reason) continue;
      try {
        done.push(await rotate(client, options.functions, secret, reason));
        options.log(`rotation ${secret.arn}: ${reason} rotation by ${done[done.length - 1].functionName} (${STEPS.join(', ')}) -> version ${done[done.length - 1].versionId} is AWSCURRENT`);
      } catch (error) {
        options.log(`rotation ${secret.arn}: ${reason} rotation FAILED: ${(error as Error).message}`);
      }
    }
    return done;
  };
  const atStart = await rotateDue();
  const timer = setInterval(() => void rotateDue(), options.checkEveryMs ?? 3_600_000);
  timer.unref();
  return { atStart, stop: () => clearInterval(timer) };
}

async function taggedSecrets(client: SecretsManagerClient): Promise<RotatingSecretRef[]> {
  const found: RotatingSecretRef[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListSecretsCommand({ NextToken: token }));
    for (const s of page.SecretList ?? []) {
      const tag = (key: string) => (s.Tags ?? []).find((t) => t.Key === key)?.Value;
      const functionArn = tag(LOCAL_ROTATION_FUNCTION_TAG);
      if (functionArn && s.ARN) found.push({ arn: s.ARN, functionArn, days: Number(tag(LOCAL_ROTATION_DAYS_TAG) ?? 30) });
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/** Why a rotation is due now, or undefined. */
export async function dueRotation(client: SecretsManagerClient, secret: RotatingSecretRef, nowMs: number): Promise<RotatedSecret['reason'] | undefined> {
  const { Versions: versions = [] } = await client.send(new ListSecretVersionIdsCommand({ SecretId: secret.arn }));
  const current = versions.find((v) => v.VersionStages?.includes('AWSCURRENT'));
  if (!current) return 'first';
  const created = current.CreatedDate?.getTime() ?? nowMs;
  return nowMs - created >= secret.days * DAY_MS ? 'scheduled' : undefined;
}

async function rotate(client: SecretsManagerClient, functions: FunctionRegistry, secret: RotatingSecretRef, reason: RotatedSecret['reason']): Promise<RotatedSecret> {
  const { RotationEnabled: enabled, VersionIdsToStages: versions = {} } = await client.send(new DescribeSecretCommand({ SecretId: secret.arn }));
  if (!enabled) {
    // What the schedule's RotateSecret leaves on AWS: rotation enabled with its rules (the rotation
    // function refuses a secret that is not). Without a Lambda ARN moto only records the rules on a
    // secret without versions; with versions it would make a new, empty version current, so refuse.
    if (Object.keys(versions).length > 0) throw new Error('rotation is not enabled on a secret that already has versions; redeploy it');
    await client.send(new RotateSecretCommand({ SecretId: secret.arn, RotationRules: { AutomaticallyAfterDays: secret.days } }));
  }
  const fn = await functions.get(secret.functionArn);
  const token = randomUUID();
  for (const step of STEPS) {
    // The event Secrets Manager sends; SecretId is the secret's ARN.
    const outcome = await fn.invoke({ Step: step, SecretId: secret.arn, ClientRequestToken: token });
    if (!outcome.ok) throw new Error(`${fn.name} failed ${step}: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
  }
  return { secretArn: secret.arn, functionName: fn.name, versionId: token, reason };
}
