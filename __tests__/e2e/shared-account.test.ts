import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { destroyAll, EMULATOR_TF_ENV, synthesizeLocal } from '../../scripts/lib/local-cycle';
import { apply, destroy, init, plan, Timings } from '../../scripts/lib/stacks';
import { selectStacks, SynthesizedStack } from '../../scripts/lib/synth';
import { apigwAccountRoleName } from '../../lib/config';
import { apiGatewayAccountRole, emulatorClient } from '../support/emulator-inventory';
import { Moto, startMoto } from '../support/moto';

/**
 * Two environments in one account and region (one emulator): the API Gateway CloudWatch role is
 * one setting there, so it must have one owner whatever environment deploys or destroys. Only the
 * state bucket and the account stack are deployed: a REST stage on the emulator does not check the
 * account's role, so a pipeline stack would prove nothing more here.
 */
// Each terraform step takes seconds on a quiet machine but minutes on a busy one (measured up to 6).
const LONG = 20 * 60_000;
const SHARED_BUCKET = 'sp-shared-tfstate';
const ACCOUNT_ROLE = new RegExp(`:role/${apigwAccountRoleName('us-east-1')}$`);
const quiet = { env: EMULATOR_TF_ENV };

let moto: Moto;
let tmp: string;
const timings = new Timings();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-accounts-'));
  moto = await startMoto();
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`two environments in one account\n${timings.table()}`);
});

type Environment = Record<'stateBackend' | 'account', SynthesizedStack>;
const synthesized = new Map<string, Environment>();

/** The bootstrap and account stacks of one environment, synthesized (once) with only `settings` set. */
function environment(name: string, settings: Record<string, string> = {}): Environment {
  if (!synthesized.has(name)) {
    const outdir = path.join(tmp, name, 'cdktf.out');
    fs.mkdirSync(outdir, { recursive: true });
    const { stacks } = synthesizeLocal(moto.endpoint, outdir, { PIPELINES_ENV: name, ...settings });
    const [stateBackend, account] = selectStacks(stacks, ['state-backend', 'apigw-account']);
    synthesized.set(name, { stateBackend, account });
  }
  return synthesized.get(name)!;
}

async function deploy(label: string, stack: SynthesizedStack): Promise<string> {
  return timings.time(label, async () => {
    await init(stack, { ...quiet, backend: true });
    return (await apply(stack, quiet)).stdout;
  });
}

// dev and staging share one state bucket: both may manage the setting, and see one state of it.
const dev = () => environment('dev', { PIPELINES_STATE_BUCKET: SHARED_BUCKET });
const staging = () => environment('staging', { PIPELINES_STATE_BUCKET: SHARED_BUCKET });

it('dev sets the account role; staging, sharing the state bucket, finds nothing to change', async () => {
  const d = dev();
  await deploy('deploy dev state-backend', d.stateBackend);
  await deploy('deploy dev apigw-account', d.account);
  expect(await apiGatewayAccountRole(moto.endpoint)).toMatch(ACCOUNT_ROLE);

  const s = staging();
  await timings.time('init staging apigw-account', () => init(s.account, { ...quiet, backend: true }));
  const planned = await timings.time('plan staging apigw-account', () => plan(s.account, quiet));
  expect({ changed: planned.changed, output: planned.changed ? planned.output : '' }).toEqual({ changed: false, output: '' });
}, LONG);

it("destroying dev (`cdktf destroy '*'`, `npm run destroy`, destroy:local) leaves the setting to staging", async () => {
  const d = dev();
  // What `cdktf destroy '*'` runs for the account stack: Terraform refuses before changing anything.
  await timings.time('init dev apigw-account', () => init(d.account, { ...quiet, backend: true }));
  const refused = await timings.time('destroy dev apigw-account', () => destroy(d.account, quiet).then(() => undefined, (error: Error) => error));
  expect(refused?.message).toMatch(/Instance cannot be destroyed/);
  // What `npm run destroy` and destroy:local do: skip it.
  await timings.time('destroyAll dev', () => destroyAll([d.stateBackend, d.account], { timings }));
  expect(await apiGatewayAccountRole(moto.endpoint)).toMatch(ACCOUNT_ROLE);

  const s = staging();
  await timings.time('init staging apigw-account', () => init(s.account, { ...quiet, backend: true }));
  const applied = await timings.time('apply staging apigw-account', () => apply(s.account, quiet));
  expect(applied.stdout).toMatch(/Apply complete! Resources: 0 added, 0 changed, 0 destroyed/);
  expect(await apiGatewayAccountRole(moto.endpoint)).toMatch(ACCOUNT_ROLE);
}, LONG);

it('an environment with its own state bucket cannot take the setting over: its apply stops at the existing role', async () => {
  const qa = environment('qa');
  // Only its backend's bucket matters here, so it is made directly rather than by a state-backend apply.
  await emulatorClient(S3Client, moto.endpoint).send(new CreateBucketCommand({ Bucket: 'serverless-pipelines-tfstate-qa' }));
  await timings.time('init qa apigw-account', () => init(qa.account, { ...quiet, backend: true }));
  const failed = await timings.time('apply qa apigw-account', () => apply(qa.account, quiet).then(() => undefined, (error: Error) => error));
  // IAM role names are unique in the account: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (EntityAlreadyExists)
  expect(failed?.message).toMatch(/EntityAlreadyExists/);
  expect(await apiGatewayAccountRole(moto.endpoint)).toMatch(ACCOUNT_ROLE);

  // The fix the README gives: PIPELINES_APIGW_ACCOUNT_ROLE=existing builds no account stack at all.
  const outdir = path.join(tmp, 'qa-existing', 'cdktf.out');
  fs.mkdirSync(outdir, { recursive: true });
  const { stacks } = synthesizeLocal(moto.endpoint, outdir, { PIPELINES_ENV: 'qa', PIPELINES_APIGW_ACCOUNT_ROLE: 'existing' });
  expect(stacks.map((st) => st.name)).not.toContain('apigw-account');
}, LONG);
