import { ConfigError } from '../lib/config';
import { readLogin, webhookSecretContext } from './lib/webhook-secret';

/**
 * Prints the Basic-auth login of the deployed webhook API (`POST /submit`).
 *
 *   npm run webhook:credentials                 # JSON: username, password, authorization
 *   npm run -s webhook:credentials -- --header  # only the Authorization header value
 *   npm run webhook:credentials -- --secret-id <arn>   # another secret than this environment's
 *
 * Uses the same settings as synth (PIPELINES_ENV, PIPELINES_REGION, PIPELINES_TARGET=local, ...)
 * and the normal AWS credential chain.
 */
async function main(args: string[]): Promise<void> {
  const { client, secretId } = webhookSecretContext(args);
  const login = await readLogin(client, secretId);
  if (args.includes('--header')) {
    process.stdout.write(`${login.authorization}\n`);
    return;
  }
  process.stdout.write(`${JSON.stringify({ secretId, ...login }, null, 2)}\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `webhook:credentials: ${error.message}`);
  process.exit(1);
});
