import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/bundling';
import { loadConfig, SETTINGS } from '../lib/config';
import { deployerPolicies } from '../lib/deployer-policy';
import { withDeployerPolicyTable } from './lib/deployer-policy-docs';

/**
 * `npm run deployer-policy [-- --env <env>] [--account <12 digits>]`: prints the IAM policies the
 * principal that deploys and destroys that environment needs, for the configured region, state
 * bucket and key prefix (PIPELINES_*): a JSON array of policy documents, each within IAM's size
 * limit for a managed policy, to attach together. `--readme` instead rewrites the README's list.
 */
function main(argv: readonly string[]): void {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  if (argv.includes('--readme')) {
    const file = path.join(PROJECT_ROOT, 'README.md');
    fs.writeFileSync(file, withDeployerPolicyTable(fs.readFileSync(file, 'utf8')));
    console.log('README.md: deployer policy list written.');
    return;
  }
  const account = option('--account');
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new Error(`--account ${account}: expected a 12-digit AWS account id.`);
  const env = { ...process.env, ...(option('--env') ? { [SETTINGS.environment.env]: option('--env') } : {}) };
  const config = loadConfig({ env });
  console.log(JSON.stringify(deployerPolicies({ ...config, account }), null, 2));
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
