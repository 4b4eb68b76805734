import { randomBytes } from 'crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { Credentials, parseStoredCredentials } from './credentials';

/** What Secrets Manager sends for each of the four steps of one rotation. */
export interface RotationEvent {
  readonly Step: string;
  readonly SecretId: string;
  /** Version id of the value being created; identical for all four steps of one rotation. */
  readonly ClientRequestToken: string;
}

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';
// 32 bytes of randomness as base64url: 43 characters, no ":" and nothing a shell or curl mangles.
const PASSWORD_BYTES = 32;

const logger = new Logger();
const client = new SecretsManagerClient({});
// The first rotation has no current value to take the username from.
const initialUsername = getStringFromEnv({ key: 'BASIC_AUTH_USERNAME' });

/**
 * Rotation function of the webhook's Basic-auth secret. Each step is idempotent, because Secrets
 * Manager retries a failed step with the same token. The authorizer reads the secret itself, so
 * there is no other system to update in setSecret.
 */
export const handler = async (event: RotationEvent): Promise<void> => {
  const { Step: step, SecretId: secretId, ClientRequestToken: token } = event;
  logger.appendKeys({ step, versionId: token });

  const metadata = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!metadata.RotationEnabled) throw new Error(`Secret ${secretId} is not enabled for rotation.`);
  const versions = metadata.VersionIdsToStages ?? {};
  const stages = versions[token];
  if (stages?.includes(CURRENT)) {
    // The first value of a secret becomes AWSCURRENT as soon as it is put, and a retried step may
    // arrive after finishSecret: either way only the AWSPENDING label may be left to tidy.
    if (step === 'finishSecret' && stages.includes(PENDING)) await removePending(secretId, token);
    logger.info('version is already AWSCURRENT; nothing more to do');
    return;
  }
  if (stages === undefined) {
    // Secrets Manager normally registers the token as AWSPENDING before the first step. Without
    // that, only a createSecret that would not displace another rotation in progress may proceed.
    const otherPending = Object.entries(versions).find(([, s]) => s.includes(PENDING) && !s.includes(CURRENT));
    if (step !== 'createSecret' || otherPending) {
      throw new Error(`Version ${token} of ${secretId} is not staged for rotation${otherPending ? `; version ${otherPending[0]} is AWSPENDING` : ''}.`);
    }
  } else if (!stages.includes(PENDING)) {
    throw new Error(`Version ${token} of ${secretId} is not AWSPENDING; it was superseded by another rotation.`);
  }

  switch (step) {
    case 'createSecret':
      return createSecret(secretId, token);
    case 'setSecret':
      // Nothing outside Secrets Manager holds this password: the authorizer reads it from here.
      logger.info('no downstream system to update');
      return;
    case 'testSecret':
      await readPending(secretId, token);
      logger.info('pending value is well formed');
      return;
    case 'finishSecret':
      return finishSecret(secretId, token, versions);
    default:
      throw new Error(`Unknown rotation step "${step}"; expected createSecret, setSecret, testSecret or finishSecret.`);
  }
};

async function createSecret(secretId: string, token: string): Promise<void> {
  if (await hasValue(secretId, { VersionId: token, VersionStage: PENDING })) {
    logger.info('pending value already exists (retried step)');
    return;
  }
  const current = await currentCredentials(secretId);
  const next: Credentials = {
    username: current?.username ?? initialUsername,
    password: randomBytes(PASSWORD_BYTES).toString('base64url'),
  };
  await client.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: JSON.stringify(next),
      VersionStages: [PENDING],
    }),
  );
  logger.info(current ? 'created the next value' : 'created the first value');
}

async function finishSecret(secretId: string, token: string, versions: Record<string, string[]>): Promise<void> {
  const previous = Object.entries(versions).find(([, s]) => s.includes(CURRENT))?.[0];
  await client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: CURRENT,
      MoveToVersionId: token,
      RemoveFromVersionId: previous,
    }),
  );
  await removePending(secretId, token);
  logger.info('pending value is now AWSCURRENT', { previousVersionId: previous });
}

/** AWSPENDING on no version marks the rotation as complete. */
async function removePending(secretId: string, token: string): Promise<void> {
  await client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: PENDING, RemoveFromVersionId: token }));
}

async function readPending(secretId: string, token: string): Promise<Credentials> {
  const value = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: PENDING }));
  const credentials = parseStoredCredentials(value.SecretString);
  if (!credentials) throw new Error(`The AWSPENDING value of ${secretId} is not {"username","password"} JSON; rotation stops here.`);
  return credentials;
}

async function currentCredentials(secretId: string): Promise<Credentials | undefined> {
  try {
    const value = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: CURRENT }));
    // A hand-edited, unusable current value is replaced rather than blocking rotation forever.
    return parseStoredCredentials(value.SecretString);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function hasValue(secretId: string, version: { VersionId: string; VersionStage: string }): Promise<boolean> {
  try {
    const value = await client.send(new GetSecretValueCommand({ SecretId: secretId, ...version }));
    return value.SecretString !== undefined;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
