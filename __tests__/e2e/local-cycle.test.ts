import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deployAll, destroyAll, EMULATOR_TF_ENV, planAll, synthesizeLocal } from '../../scripts/lib/local-cycle';
import { countChanges, PlanJson, statefulRisks, summarizePlans } from '../../scripts/lib/plan-summary';
import { init, keptOnDestroy, plan, PLAN_FILE, showPlanJson, stackJson, Timings } from '../../scripts/lib/stacks';
import { SynthesizedStack } from '../../scripts/lib/synth';
import { runTerraform, terraformEnv, toolchain } from '../../scripts/lib/terraform';
import { emulatorClient, inventory, onlyWhatOutlivesDestroy } from '../support/emulator-inventory';
import { Moto, startMoto } from '../support/moto';
import { DataPlane, ENDPOINTS_FILE, startDataPlane } from '../../local/data-plane';
import { freePort } from '../../scripts/lib/emulator';
import { CONTRACTS, runContracts } from '../../scripts/lib/smoke-contracts';
import { SmokeRun } from '../../scripts/lib/smoke-runner';
import { smokeTarget } from '../../scripts/lib/smoke-target';
import { loadConfig } from '../../lib/config';
import { webhookSecretName } from '../../stacks/webhook/stack';
import { PLANE_SUITES } from './local-plane';
import { PlaneContext } from './local-plane/context';

const CONTRACT_STACKS = Object.keys(CONTRACTS);

/**
 * The whole local cycle, once, against a fresh emulator: deploy every stack (bootstrap first, its
 * state in a local file; every other stack's state in the emulator's S3 with a lock file), plan
 * again expecting nothing, summarize real plans, race a held state lock, destroy, and check that
 * only the state bucket and the account-wide API Gateway role are left. The tests share one deployment and run in order.
 */
const LONG = 20 * 60_000;

let moto: Moto;
let tmp: string;
let stacks: readonly SynthesizedStack[];
const timings = new Timings();

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-cycle-'));
  moto = await startMoto();
  // Default settings only (not the caller's PIPELINES_*), targeting this emulator. The bootstrap
  // stack's local state lands in `tmp`, two levels above its stack folder.
  stacks = (await timings.time('synth', () => synthesizeLocal(moto.endpoint, path.join(tmp, 'cdktf.out'), {}))).stacks;
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`local cycle timings (providers: ${toolchain().mirror ?? 'registry'})\n${timings.table()}`);
});

const client = <T>(Client: new (config: object) => T): T => emulatorClient(Client, moto.endpoint);

// The stacks a destroy removes (not the state bucket nor the account-wide API Gateway role).
const pipelineStacks = (): SynthesizedStack[] => stacks.filter((s) => !keptOnDestroy(s));

it('deploys every stack', async () => {
  expect(stacks.length).toBeGreaterThanOrEqual(2);
  await deployAll(stacks, { timings });
}, LONG);

it('plans no change for any stack right after the deploy', async () => {
  const outcomes = await planAll(stacks, { timings, out: PLAN_FILE });
  const changed = [...outcomes].filter(([, o]) => o.changed).map(([name, o]) => `${name}:\n${o.output}`);
  expect(changed).toEqual([]);
  expect([...outcomes.keys()].sort()).toEqual(stacks.map((s) => s.name).sort());
}, LONG);

// ---------------------------------------------------------------------------------------------
// serve:local, then smoke, against the deployment above (before anything else changes it).
describe('the local data plane (serve:local) and the smoke contract', () => {
  let plane: DataPlane | undefined;
  let localDir: string;
  const serveLog: string[] = [];
  const config = () => loadConfig({ env: { PIPELINES_TARGET: 'local', PIPELINES_LOCAL_ENDPOINT: moto.endpoint } });

  afterAll(async () => {
    await plane?.stop();
  });

  // Every plane of this deployment: a free port, the same local folder (endpoints, logs, checkpoints).
  const startPlane = async () =>
    startDataPlane({ endpoint: moto.endpoint, region: 'us-east-1', port: await freePort(), outdir: path.join(tmp, 'cdktf.out'), localDir, log: (l) => serveLog.push(l), sqsRetrySeconds: 2 });

  it('serves every deployed API and writes endpoints.json with each stack\'s api_url', async () => {
    localDir = path.join(tmp, 'local');
    plane = await timings.time('serve:local start', startPlane);
    const endpoints = JSON.parse(fs.readFileSync(path.join(localDir, ENDPOINTS_FILE), 'utf8')) as Record<string, { api_url: string }>;
    expect(Object.keys(endpoints).sort()).toEqual([...CONTRACT_STACKS].sort());
    for (const { api_url } of Object.values(endpoints)) expect(api_url.startsWith(`${plane.url}/`)).toBe(true);
    // What the emulator lacks and the data plane supplies is said at start.
    expect(plane.notices).toContainEqual(expect.stringMatching(/Kinesis Data Streams for DynamoDB/));
  }, LONG);

  it('passes the smoke contract of every pipeline, the webhook\'s first password made by serve:local\'s own rotation', async () => {
    if (!plane) throw new Error('serve:local did not start');
    // deploy:local, serve:local, smoke: no manual rotation. The plane ran the deployed rotation
    // function's four steps at start, as Secrets Manager does when rotation is configured.
    expect(serveLog).toContainEqual(expect.stringMatching(new RegExp(`rotation .*:secret:${webhookSecretName(config())}.*: first rotation by .*-> version \\S+ is AWSCURRENT`)));
    const lines: string[] = [];
    const run = new SmokeRun((line) => lines.push(line));
    const code = await timings.time('smoke (all pipelines)', () =>
      runContracts(run, smokeTarget('local', config(), { localDir, outdir: path.join(tmp, 'cdktf.out') }), CONTRACT_STACKS, { waitForDlqOnAws: false }),
    );
    const failed = run.results.filter((r) => r.status === 'FAIL').map((r) => `${r.pipeline}: ${r.step} — ${r.detail}`);
    expect(failed).toEqual([]);
    expect(code).toBe(0);
    expect(new Set(run.results.map((r) => r.pipeline))).toEqual(new Set(CONTRACT_STACKS));
  }, LONG);

  const context = (): PlaneContext => {
    if (!plane) throw new Error('serve:local did not start');
    const outdir = path.join(tmp, 'cdktf.out');
    return {
      moto,
      plane,
      config: config(),
      stacks,
      outdir,
      localDir,
      target: smokeTarget('local', config(), { localDir, outdir }),
      startPlane,
      usePlane: (next) => {
        plane = next;
      },
    };
  };
  for (const suite of PLANE_SUITES) suite(context);
});
// ---------------------------------------------------------------------------------------------

it('summarizes those real plans as no change, stack by stack', async () => {
  const plans = await Promise.all(stacks.map(async (s) => ({ stack: s.name, plan: (await showPlanJson(s, PLAN_FILE, { env: EMULATOR_TF_ENV })) as PlanJson })));
  for (const { plan: p } of plans) expect(countChanges(p)).toEqual({ add: 0, change: 0, destroy: 0, replace: 0 });
  const summary = summarizePlans(plans);
  for (const s of stacks) expect(summary).toContain(`### ${s.name}`);
  expect(summary).toContain('No stateful resource');
  expect(summary).not.toContain('**');
}, LONG);

it('flags, in bold at the top of the summary, a table that a changed key would replace', async () => {
  const stack = pipelineStacks().find((s) => Object.keys(stackJson(s).resource?.aws_dynamodb_table ?? {}).length > 0);
  if (!stack) throw new Error('No pipeline stack has a DynamoDB table to replace; pick another stateful change for this test.');
  // The same stack and state, with the table's partition key renamed: DynamoDB cannot change a
  // key in place, so Terraform must replace the table.
  const changedDir = path.join(tmp, 'changed', stack.name);
  fs.cpSync(stack.dir, changedDir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.terraform`) && !src.endsWith(PLAN_FILE) });
  const tf = stackJson({ ...stack, dir: changedDir });
  const [tableId, table] = Object.entries(tf.resource.aws_dynamodb_table as Record<string, { hash_key: string; attribute: { name: string }[] }>)[0];
  const newKey = `${table.hash_key}V2`;
  table.attribute = table.attribute.map((a) => (a.name === table.hash_key ? { ...a, name: newKey } : a));
  table.hash_key = newKey;
  fs.writeFileSync(path.join(changedDir, 'cdk.tf.json'), JSON.stringify(tf, null, 2));
  const changed = { ...stack, dir: changedDir };

  await init(changed, { env: EMULATOR_TF_ENV, backend: true });
  const outcome = await timings.time(`plan ${stack.name} (changed key)`, () => plan(changed, { env: EMULATOR_TF_ENV, out: PLAN_FILE }));
  expect(outcome.changed).toBe(true);
  const json = (await showPlanJson(changed, PLAN_FILE, { env: EMULATOR_TF_ENV })) as PlanJson;

  expect(countChanges(json).replace).toBeGreaterThanOrEqual(1);
  const address = `aws_dynamodb_table.${tableId}`;
  expect(statefulRisks([{ stack: stack.name, plan: json }])).toContainEqual(
    expect.objectContaining({ stack: stack.name, address, action: 'replace', reason: 'replace_because_cannot_update' }),
  );
  const summary = summarizePlans([{ stack: stack.name, plan: json }]);
  const flag = `- **${stack.name}: \`${address}\` would be REPLACED**`;
  expect(summary).toContain(flag);
  // At the top: before the first per-stack table.
  expect(summary.indexOf(flag)).toBeLessThan(summary.indexOf(`### ${stack.name}`));
}, LONG);

it('refuses an apply while another run holds the state lock (S3 lock file)', async () => {
  const stack = pipelineStacks()[0];
  const backend = stackJson(stack).terraform.backend.s3 as { bucket: string; key: string };
  const lockKey = `${backend.key}.tflock`;
  const s3 = client(S3Client);

  // A real run that holds the lock: `terraform destroy` waits at its confirmation prompt with the
  // lock taken, until it is answered "no".
  const holder = spawn(toolchain().terraformBin, ['destroy', '-no-color'], { cwd: stack.dir, env: terraformEnv(EMULATOR_TF_ENV), stdio: ['pipe', 'pipe', 'pipe'] });
  let holderOutput = '';
  holder.stdout.on('data', (d: Buffer) => (holderOutput += d.toString()));
  holder.stderr.on('data', (d: Buffer) => (holderOutput += d.toString()));
  let holderDone = false;
  const holderExit = new Promise<number | null>((resolve) => holder.once('close', (code) => ((holderDone = true), resolve(code))));
  try {
    await waitFor(() => holderOutput.includes('Enter a value:') || holderDone, () => holderOutput, 300_000);
    expect(holderDone ? holderOutput : 'waiting at the prompt').toBe('waiting at the prompt');
    await expect(s3.send(new HeadObjectCommand({ Bucket: backend.bucket, Key: lockKey }))).resolves.toBeDefined();

    const racer = await runTerraform(['apply', '-auto-approve', '-input=false', '-no-color', '-lock-timeout=0s'], { cwd: stack.dir, env: EMULATOR_TF_ENV });
    expect(racer.code).toBe(1);
    expect(racer.stderr).toMatch(/Error acquiring the state lock/);
    expect(racer.stderr).toMatch(/PreconditionFailed|conditional request failed/i);
  } finally {
    holder.stdin.end('no\n');
  }
  await holderExit;
  expect(holderOutput).toMatch(/Destroy cancelled/);
  // The holder released the lock; the state is untouched.
  await expect(s3.send(new HeadObjectCommand({ Bucket: backend.bucket, Key: lockKey }))).rejects.toMatchObject({ name: 'NotFound' });
}, LONG);

it('destroys every stack, leaving only the state bucket and the account-wide API Gateway role in the emulator', async () => {
  await destroyAll(stacks, { timings });

  const stateBucket = stackJson(pipelineStacks()[0]).terraform.backend.s3.bucket as string;
  expect(await inventory(moto.endpoint)).toEqual(onlyWhatOutlivesDestroy(stateBucket));
}, LONG);

async function waitFor(condition: () => boolean, describe: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting; output so far:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
