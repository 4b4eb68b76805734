import { ConfigError } from '../lib/config';
import { rotateNow, webhookSecretContext } from './lib/webhook-secret';

/**
 * Rotates the webhook's Basic-auth password now (`npm run webhook:rotate`). On AWS it asks
 * Secrets Manager to run the deployed rotation function and waits for it; with
 * PIPELINES_TARGET=local it runs the same rotation code against the emulator, which is also how a
 * locally deployed stack gets its first password. The new password is not printed: use
 * `npm run webhook:credentials`. The old password keeps working for up to about 6 minutes
 * (the authorizer's 1-minute secret cache plus API Gateway's 5-minute cached decision).
 */
async function main(args: string[]): Promise<void> {
  const { config, client, secretId } = webhookSecretContext(args);
  const version = await rotateNow(client, secretId, config.target);
  process.stdout.write(`Rotated ${secretId}: version ${version} is now AWSCURRENT.\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `webhook:rotate: ${error.message}`);
  process.exit(1);
});
