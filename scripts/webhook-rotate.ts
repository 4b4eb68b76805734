import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, loadConfig } from '../lib/config';
import { webhookSecretName } from '../stacks/apigw-sqs-lambda-dynamodb';
import { rotateNow, useTarget } from './lib/webhook-secret';

/**
 * Rotates the webhook's Basic-auth password now (`npm run webhook:rotate`). On AWS it asks
 * Secrets Manager to run the deployed rotation function and waits for it; with
 * PIPELINES_TARGET=local it runs the same rotation code against the emulator, which is also how a
 * locally deployed stack gets its first password. The new password is not printed: use
 * `npm run webhook:credentials`. The old password keeps working for up to about 6 minutes
 * (the authorizer's 1-minute secret cache plus API Gateway's 5-minute cached decision).
 */
async function main(args: string[]): Promise<void> {
  const config = loadConfig({ env: process.env });
  useTarget(config);
  const idFlag = args.indexOf('--secret-id');
  const secretId = idFlag >= 0 ? args[idFlag + 1] : webhookSecretName(config);
  if (!secretId) throw new Error('--secret-id needs a value: the secret_arn output of the stack.');
  const version = await rotateNow(new SecretsManagerClient({}), secretId, config.target);
  process.stdout.write(`Rotated ${secretId}: version ${version} is now AWSCURRENT.\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `webhook:rotate: ${error.message}`);
  process.exit(1);
});
