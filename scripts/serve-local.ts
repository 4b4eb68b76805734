import { ConfigError, loadConfig } from '../lib/config';
import { startDataPlane } from '../local/data-plane';
import { batchedWriter } from '../local/server/batched-writer';
import { isEmulatorUp, LOCAL_DIR } from './lib/emulator';
import { LOCAL_OUTDIR } from './lib/synth';

/**
 * `npm run serve:local [-- --sqs-retry-seconds <n>|visibility]`: serves every API that
 * `npm run deploy:local` deployed to the emulator, on 127.0.0.1:PIPELINES_LOCAL_GATEWAY_PORT,
 * runs the deployed functions and event source mappings, and writes `.local/endpoints.json`.
 * Stops cleanly on SIGINT / SIGTERM.
 *
 * `--sqs-retry-seconds`: a message whose processing failed is received again after this many
 * seconds (default 2), so a poison message reaches its dead-letter queue in seconds instead of
 * maxReceiveCount x the visibility timeout; `visibility` keeps AWS's timing.
 */
const DEFAULT_SQS_RETRY_SECONDS = 2;

async function main(args: readonly string[]): Promise<void> {
  const started = Date.now();
  const config = loadConfig({ env: process.env });
  const retryFlag = args.indexOf('--sqs-retry-seconds');
  const retryValue = retryFlag >= 0 ? args[retryFlag + 1] : undefined;
  if (retryFlag >= 0 && (retryValue === undefined || !(retryValue === 'visibility' || /^\d+$/.test(retryValue)))) {
    throw new Error('--sqs-retry-seconds takes a whole number of seconds or "visibility".');
  }
  const sqsRetrySeconds = retryValue === 'visibility' ? undefined : retryValue !== undefined ? Number(retryValue) : DEFAULT_SQS_RETRY_SECONDS;
  if (!(await isEmulatorUp(config.localEndpoint))) {
    throw new Error(`Nothing answers at ${config.localEndpoint} (PIPELINES_LOCAL_ENDPOINT). Run \`npm run deploy:local\` first; it starts the emulator and leaves it running.`);
  }
  // One write to stdout per event loop turn, however many requests and functions logged in it.
  const stdout = batchedWriter((text) => process.stdout.write(text));
  process.on('exit', () => stdout.flush());
  const log = (line: string) => stdout.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
  const plane = await startDataPlane({
    endpoint: config.localEndpoint,
    region: config.region,
    port: config.localGatewayPort,
    outdir: LOCAL_OUTDIR,
    localDir: LOCAL_DIR,
    log,
    sqsRetrySeconds,
  });
  for (const [stack, { api_url }] of Object.entries(plane.endpoints)) log(`${stack}: ${api_url}`);
  for (const notice of plane.notices) log(`note: ${notice}`);
  log(`note: keys for AWS_IAM routes: issue them through this URL, which serves the emulator's IAM and STS at its root (aws --endpoint-url ${plane.url} iam create-access-key --user-name <user>, or sts assume-role); a key created at the emulator directly is refused (403)`);
  if (sqsRetrySeconds !== undefined) log(`note: failed SQS messages are received again after ${sqsRetrySeconds} s, not the queue's visibility timeout (--sqs-retry-seconds visibility keeps AWS's timing)`);
  log(`serve:local ready at ${plane.url} in ${Date.now() - started} ms (.local/endpoints.json written); Ctrl-C stops it`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void plane.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `serve:local: ${error.message}`);
  process.exit(1);
});
