import { ConfigError, loadConfig } from '../lib/config';
import { CONTRACTS, runContracts } from './lib/smoke-contracts';
import { SmokeRun } from './lib/smoke-runner';
import { smokeTarget } from './lib/smoke-target';

/**
 * `npm run smoke [-- <stack>...] [--target local|aws] [--wait-dlq]`: each pipeline's contract
 * against a deployment, through its stack outputs. One line per step, then a summary; exits
 * non-zero on any failure; removes what it created where it can.
 *
 *   --target local  (default) `deploy:local` + `serve:local`: the emulator and the local data plane
 *   --target aws    `npm run deploy`: the caller's AWS credentials (default chain)
 *   --wait-dlq      on AWS, also wait (up to 20 min) for the poison submission to reach the DLQ
 */
export function parseSmokeArgs(args: readonly string[]): { stacks: string[]; target: 'local' | 'aws'; waitForDlqOnAws: boolean } {
  const stacks: string[] = [];
  let target: 'local' | 'aws' = 'local';
  let waitForDlqOnAws = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--target') {
      const value = args[++i];
      if (value !== 'local' && value !== 'aws') throw new Error(`--target must be local or aws, not ${value ?? '(nothing)'}.`);
      target = value;
    } else if (arg.startsWith('--target=')) {
      const value = arg.slice('--target='.length);
      if (value !== 'local' && value !== 'aws') throw new Error(`--target must be local or aws, not ${value}.`);
      target = value;
    } else if (arg === '--wait-dlq') {
      waitForDlqOnAws = true;
    } else if (arg.startsWith('--')) {
      throw new Error(`Unknown option ${arg}. Usage: npm run smoke [-- <stack>...] [--target local|aws] [--wait-dlq]`);
    } else {
      if (!CONTRACTS[arg]) throw new Error(`Unknown stack ${arg}. Stacks with a smoke contract: ${Object.keys(CONTRACTS).join(', ')}.`);
      stacks.push(arg);
    }
  }
  return { stacks: stacks.length > 0 ? stacks : Object.keys(CONTRACTS), target, waitForDlqOnAws };
}

async function main(args: readonly string[]): Promise<number> {
  const started = Date.now();
  const { stacks, target, waitForDlqOnAws } = parseSmokeArgs(args);
  const config = loadConfig({ env: process.env });
  const smoke = smokeTarget(target, config);
  const run = new SmokeRun();
  process.stdout.write(`smoke against ${target === 'local' ? `the local data plane and ${config.localEndpoint}` : `AWS (${config.region})`}: ${stacks.join(', ')}\n`);
  return runContracts(run, smoke, stacks, { waitForDlqOnAws }, started);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error instanceof ConfigError ? error.message : `smoke: ${error.message}`);
      process.exit(2);
    },
  );
}
