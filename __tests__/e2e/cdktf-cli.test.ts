import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT } from '../../lib/bundling';
import { SETTINGS } from '../../lib/config';
import { EMULATOR_TF_ENV } from '../../scripts/lib/local-cycle';
import { plan } from '../../scripts/lib/stacks';
import { terraformEnv, toolchain } from '../../scripts/lib/terraform';
import { apiGatewayAccountRole, inventory, onlyWhatOutlivesDestroy, stateBucketSettings } from '../support/emulator-inventory';
import { Moto, startMoto } from '../support/moto';
import { apigwAccountRoleName } from '../../lib/config';
import { LOCAL_ACCESS_KEY_ENV, LOCAL_SECRET_KEY_ENV } from '../../lib/local-target';
import { DeployerGate, startDeployerGate } from '../../scripts/lib/deployer-gate/gate';
import { createDeployerUser, DeployerUser, EMULATOR_ACCOUNT } from '../support/deployer-user';

/**
 * `cdktf deploy` and `cdktf destroy '*'`, the way the README tells a platform engineer to run
 * them, with the cdktf CLI itself (not our npm scripts) against a fresh emulator:
 * - cdktf 0.21 runs `terraform init` for every selected stack before it applies any
 *   (@cdktf/cli-core cdktf-project.ts, `execute` -> `initializeStacksToRunInSerial`), and the S3
 *   backend's init fails while the bucket does not exist, so on a fresh account the state bucket is
 *   deployed on its own first; after that `cdktf deploy '*'` orders the stacks by their dependencies
 *   (state bucket, then the account's API Gateway role, then the pipelines);
 * - destroy removes every pipeline, then Terraform refuses to destroy the account-wide API Gateway
 *   role (other environments of the account log through it; prevent_destroy) and cdktf stops before
 *   the state bucket: the role stays set, and the bucket keeps every setting and state object.
 * Terraform signs as an IAM user holding only the shipped deployer policy (`npm run
 * deployer-policy`), through the deployer gate, which evaluates that user's policies for every
 * request and forwards only what they allow (moto's own IAM enforcement cannot: README "Deploying
 * to AWS"). So every deploy and destroy here is also the proof that the policy suffices.
 */
const LONG = 20 * 60_000;
const STATE_BUCKET = 'serverless-pipelines-tfstate-dev';
const PIPELINE_STACKS = [
  'apigw-lambda-dynamodb-customers',
  'apigw-dynamodb-kinesis-lambda',
  'apigw-kinesis-proxy',
  'apigw-kinesis-putrecord',
  'apigw-sqs-lambda-dynamodb',
];
// One state of the account-wide role for every environment of the account and region.
const STATE_KEYS = [...PIPELINE_STACKS.map((s) => `serverless-pipelines/dev/${s}.tfstate`), 'serverless-pipelines/_account/us-east-1/apigw-account.tfstate'].sort();
const ACCOUNT_ROLE = new RegExp(`:role/${apigwAccountRoleName('us-east-1')}$`);

let moto: Moto;
let gate: DeployerGate;
let deployer: DeployerUser;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-cdktf-'));
  moto = await startMoto();
  deployer = await createDeployerUser(moto.endpoint);
  // Refusals are written as they happen: a provider retries some errors for minutes before failing.
  const refusals = path.join(tmp, 'gate-refusals.log');
  gate = await startDeployerGate({ emulator: moto.endpoint, region: 'us-east-1', account: EMULATOR_ACCOUNT, onDecision: (d) => d.refused && fs.appendFileSync(refusals, `${d.refused}\n`) });
}, 120_000);

afterAll(async () => {
  await gate?.stop();
  await moto?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface CliResult {
  readonly code: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** Runs `cdktf <args>` from the project root with default settings, targeting this emulator. */
function cdktf(args: string[]): Promise<CliResult> {
  const started = Date.now();
  const env = terraformEnv({
    ...EMULATOR_TF_ENV,
    [SETTINGS.target.env]: 'local',
    [SETTINGS.localEndpoint.env]: gate.endpoint,
    [LOCAL_ACCESS_KEY_ENV]: deployer.accessKeyId,
    [LOCAL_SECRET_KEY_ENV]: deployer.secretAccessKey,
    // cdktf runs `terraform` by this name (@cdktf/commons: TERRAFORM_BINARY_NAME).
    TERRAFORM_BINARY_NAME: toolchain().terraformBin,
    CI: 'true',
    FORCE_COLOR: '0',
  });
  const kept = new Set([SETTINGS.target.env, SETTINGS.localEndpoint.env, LOCAL_ACCESS_KEY_ENV, LOCAL_SECRET_KEY_ENV]);
  for (const name of Object.keys(env)) if (name.startsWith('PIPELINES_') && !kept.has(name)) delete env[name];
  // --skip-provider-lock: cdktf would otherwise run `terraform providers lock` for every platform,
  // which asks the public registry; behind a firewall the provider comes from the mirror only.
  const cliArgs = [...args, '--skip-provider-lock', '--output', path.join(tmp, 'cdktf.out')];
  const child = spawn(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf'), cliArgs, {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 })));
}

const succeeded = (result: CliResult) => ({ code: result.code, tail: result.code === 0 ? '' : result.output.slice(-4000) });

/**
 * The one refusal a run with the shipped policy meets, and survives: the provider looks its account
 * id up with iam:GetUser first and, refused, asks sts:GetCallerIdentity, which needs no right
 * (hashicorp/aws-sdk-go-base v2, getAccountIDAndPartition).
 */
const GET_USER_REFUSAL = `User: arn:aws:iam::${EMULATOR_ACCOUNT}:user/sp-dev-deployer is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${EMULATOR_ACCOUNT}:user/sp-dev-deployer because no identity-based policy allows the iam:GetUser action`;

/** The deployer's requests the gate refused, and the services it let through. */
function gateRecord(since: number) {
  const decisions = gate.decisions.slice(since);
  const refused = [...new Set(decisions.filter((d) => d.refused).map((d) => d.refused))];
  const services = [...new Set(decisions.filter((d) => !d.refused).map((d) => d.access!.action.split(':')[0]))].sort();
  return { refused, services };
}

it("`cdktf deploy '*'` cannot bootstrap a fresh account in one run: it stops at init, before changing anything", async () => {
  const result = await cdktf(['deploy', '*', '--auto-approve']);
  expect(result.code).not.toBe(0);
  expect(result.output).toMatch(/S3 bucket "serverless-pipelines-tfstate-dev" does not exist/);
  expect((await inventory(moto.endpoint)).buckets).toEqual([]);
}, LONG);

it("`cdktf deploy state-backend`, then `cdktf deploy '*'`, deploys every stack in dependency order", async () => {
  const since = gate.decisions.length;
  const bootstrap = await cdktf(['deploy', 'state-backend', '--auto-approve']);
  expect(succeeded(bootstrap)).toEqual({ code: 0, tail: '' });
  const result = await cdktf(['deploy', '*', '--auto-approve']);
  console.log(`cdktf deploy state-backend: ${bootstrap.seconds.toFixed(0)} s; cdktf deploy '*': ${result.seconds.toFixed(0)} s`);
  expect(succeeded(result)).toEqual({ code: 0, tail: '' });
  expect(gateRecord(since)).toEqual({
    refused: [GET_USER_REFUSAL],
    services: ['apigateway', 'cloudwatch', 'dynamodb', 'iam', 'kinesis', 'kms', 'lambda', 'logs', 's3', 'secretsmanager', 'sns', 'sqs'],
  });

  const held = await inventory(moto.endpoint);
  expect(held.buckets).toEqual([STATE_BUCKET]);
  expect(held.tables).toHaveLength(3);
  expect(held.restApis).toHaveLength(4);
  expect(held.httpApis).toHaveLength(1);
  expect(await apiGatewayAccountRole(moto.endpoint)).toMatch(ACCOUNT_ROLE);
  // Each pipeline's state went into the bucket the bootstrap created, under the bucket's KMS default.
  const settings = await stateBucketSettings(moto.endpoint, STATE_BUCKET);
  expect(Object.keys(settings.stateObjects as object)).toEqual(STATE_KEYS);
}, LONG);

it('without one right of the deployer policy, a plan of the stack that needs it fails with AccessDenied naming that action', async () => {
  // Terraform's own plan in the folder `cdktf deploy` synthesized and initialised (signing as the
  // deployer, through the gate): a cdktf diff would synthesize every stack again for one plan.
  const webhook = { name: 'apigw-sqs-lambda-dynamodb', dir: path.join(tmp, 'cdktf.out', 'stacks', 'apigw-sqs-lambda-dynamodb'), dependencies: [] };
  await deployer.withdraw('sqs:GetQueueAttributes');
  gate.policiesChanged();
  try {
    const refused = plan(webhook, { env: EMULATOR_TF_ENV });
    await expect(refused).rejects.toThrow(/AccessDenied/);
    await expect(refused).rejects.toThrow(/not authorized to perform: sqs:GetQueueAttributes on resource: arn:aws:sqs:us-east-1:123456789012:sp-dev-/);
  } finally {
    await deployer.restore();
    gate.policiesChanged();
  }
  // With the right back, the same plan succeeds and changes nothing: the refusal was the withdrawn right's alone.
  expect((await plan(webhook, { env: EMULATOR_TF_ENV })).changed).toBe(false);
}, LONG);

it("`cdktf destroy '*'` removes everything but the account-wide role, still set, and the state bucket, which keeps every setting and state object", async () => {
  const since = gate.decisions.length;
  const result = await cdktf(['destroy', '*', '--auto-approve']);
  console.log(`cdktf destroy '*': ${result.seconds.toFixed(0)} s`);
  // Terraform refuses the apigw-account plan (prevent_destroy) before changing anything there, and
  // cdktf stops: state-backend, which waits for it, is never tried (it would be refused as well).
  expect(result.code).not.toBe(0);
  expect(result.output).toMatch(/Instance cannot be destroyed/);
  expect(result.output).toMatch(/Resource aws_(iam_role|iam_role_policy_attachment|api_gateway_account)\S*\s+\(CloudWatchRole\/\w+\)\s+has\s+lifecycle\.prevent_destroy\s+set/);
  expect(result.output).toMatch(/1 Stack waiting/);
  expect(gateRecord(since).refused).toEqual([GET_USER_REFUSAL]);

  // The deployer's own policies are the suite's, not the app's.
  const held = await inventory(moto.endpoint);
  expect({ ...held, policies: held.policies.filter((p) => !p?.startsWith('sp-dev-deployer-')) }).toEqual(onlyWhatOutlivesDestroy(STATE_BUCKET));
  expect(await apiGatewayAccountRole(moto.endpoint)).toMatch(ACCOUNT_ROLE);
  expect(await stateBucketSettings(moto.endpoint, STATE_BUCKET)).toEqual({
    versioning: 'Enabled',
    encryption: 'aws:kms',
    publicAccessBlock: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    ownership: 'BucketOwnerEnforced',
    lifecycle: ['expire-old-state-versions'],
    stateObjects: Object.fromEntries(STATE_KEYS.map((key) => [key, 'aws:kms'])),
  });
}, LONG);
