import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT } from '../../lib/bundling';
import { Comparison, compareOutdirs, ENGINE_DIFFERENCES } from '../../scripts/lib/cdktn/equivalence';
import { toolchainVersion } from '../../scripts/lib/cdktn/toolchain';
import { Timings } from '../../scripts/lib/stacks';
import { synthesize, SynthesizedStack } from '../../scripts/lib/synth';
import { validateStacks } from '../../scripts/lib/validate';

/**
 * The app on CDK Terrain: `npm run synth:cdktn` (toolchain installed and bindings generated on
 * demand, on a fresh clone too) must give the Terraform the default engine gives, differing only
 * in ENGINE_DIFFERENCES, and Terraform must accept it with the provider the default engine uses.
 */

/** Runs the synth:cdktn script in its own process: the aliases hook Node's resolver, which jest replaces with its own. */
function synthCdktn(outdir: string): Promise<string> {
  const tsNode = require.resolve('ts-node/dist/bin.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsNode, '--swc', path.join('scripts', 'synth-cdktn.ts'), '--outdir', outdir], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`npm run synth:cdktn failed (exit ${code}):\n${output}`))));
  });
}

function installedVersion(pkg: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

describe('CDK Terrain (cdktn) synthesizes the same app', () => {
  let tmp: string;
  let cdktfOut: string;
  let cdktnOut: string;
  let cdktfStacks: readonly SynthesizedStack[];
  let comparison: Comparison;
  let cdktnLog = '';
  const timings = new Timings();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-cdktn-'));
    [cdktfOut, cdktnOut] = [path.join(tmp, 'cdktf.out'), path.join(tmp, 'cdktn.out')];
    cdktfStacks = (await timings.time('synth (cdktf, in process)', () => synthesize({ outdir: cdktfOut }))).stacks;
    // Cold (fresh clone, as in CI): npm ci of the toolchain and `cdktn get`, a few minutes.
    cdktnLog = await timings.time('npm run synth:cdktn', () => synthCdktn(cdktnOut));
    comparison = compareOutdirs(cdktfOut, cdktnOut);
  }, 20 * 60_000);

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`${cdktnLog.trim()}\n\ncdktn equivalence timings\n${timings.table()}`);
  });

  it('gives every stack the same Terraform JSON and manifest, but for the documented engine values', () => {
    expect(comparison.differences).toEqual([]);
    const stackJson = comparison.engineValues.filter((v) => v.file.endsWith('cdk.tf.json')).map((v) => v.file);
    expect(new Set(stackJson)).toEqual(new Set(cdktfStacks.map((s) => `stacks/${path.basename(s.dir)}/cdk.tf.json`)));
  });

  it('differs only in the engine version and the provider source form, with the values the list documents', () => {
    const expected: Record<string, [unknown, unknown]> = {
      '//.metadata.version': [installedVersion('cdktf'), toolchainVersion('cdktn')],
      'terraform.required_providers.aws.source': ['aws', 'hashicorp/aws'],
      version: [installedVersion('cdktf'), toolchainVersion('cdktn')],
    };
    expect(Object.keys(expected).sort()).toEqual([...new Set(ENGINE_DIFFERENCES.map((d) => d.path.join('.')))].sort());
    for (const value of comparison.engineValues) expect([value.file, value.left, value.right]).toEqual([value.file, ...expected[value.path]]);
    expect(installedVersion('cdktf')).not.toBe(toolchainVersion('cdktn'));
  });

  it('ships byte-identical Lambda zips', () => {
    const zips = comparison.binaryFiles.filter((f) => f.endsWith('.zip'));
    // One per function of the app: the comments and customers handlers, and the webhook's three.
    expect(zips.length).toBeGreaterThanOrEqual(5);
    expect(comparison.differences.filter((d) => zips.some((z) => d.startsWith(z)))).toEqual([]);
  });

  it('passes terraform validate, with registry.terraform.io/hashicorp/aws 5.100.0 as the default engine uses', async () => {
    const cdktnStacks = cdktfStacks.map((s) => ({ ...s, dir: path.join(cdktnOut, path.relative(cdktfOut, s.dir)) }));
    await validateStacks(cdktnStacks, timings);
    const provider = JSON.parse(fs.readFileSync(require.resolve('@cdktf/provider-aws/package.json'), 'utf8')) as { cdktf: { provider: { name: string; version: string } } };
    for (const stack of cdktnStacks) {
      const lock = fs.readFileSync(path.join(stack.dir, '.terraform.lock.hcl'), 'utf8');
      expect(lock).toContain(`provider "${provider.cdktf.provider.name}" {\n  version     = "${provider.cdktf.provider.version}"`);
    }
  }, 600_000);
});
