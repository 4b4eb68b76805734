import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Timings } from '../../scripts/lib/stacks';
import { App } from 'cdktf';
import { loadConfig } from '../../lib/config';
import { synthesize, SynthesizedStack } from '../../scripts/lib/synth';
import { cliConfig, conventionalMirrorDirs, findMirror, MIRROR_ENV, terraformEnv, toolchain } from '../../scripts/lib/terraform';
import { validateStacks } from '../../scripts/lib/validate';
import { buildStacks } from '../../stacks';

describe('Terraform CLI configuration', () => {
  let tmp: string;
  beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-tfrc-'))));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const mirrorWithAws = (): string => {
    const dir = fs.mkdtempSync(path.join(tmp, 'mirror-'));
    fs.mkdirSync(path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64'), { recursive: true });
    return dir;
  };

  it('uses the mirror named by the environment variable, and only the mirror, for registry providers', () => {
    const mirror = mirrorWithAws();
    expect(findMirror({ [MIRROR_ENV]: mirror }, [])).toEqual({ dir: mirror, source: MIRROR_ENV });
    const text = cliConfig(mirror, path.join(tmp, 'cache'));
    expect(text).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(text).toMatch(/direct \{\s*exclude = \["registry\.terraform\.io\/\*\/\*"\]/);
    expect(text).toContain(`plugin_cache_dir = ${JSON.stringify(path.join(tmp, 'cache'))}`);
  });

  it('refuses a configured mirror that lacks the AWS provider, naming the variable', () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(() => findMirror({ [MIRROR_ENV]: empty }, [])).toThrow(new RegExp(`${MIRROR_ENV}=.*does not hold registry.terraform.io/hashicorp/aws`));
  });

  it('finds a mirror in a conventional location (XDG data dirs) when none is configured', () => {
    const dataDir = fs.mkdtempSync(path.join(tmp, 'xdg-'));
    fs.mkdirSync(path.join(dataDir, 'terraform', 'plugins', 'registry.terraform.io', 'hashicorp', 'aws'), { recursive: true });
    const env = { XDG_DATA_DIRS: dataDir, XDG_DATA_HOME: path.join(tmp, 'nothing') };
    expect(conventionalMirrorDirs(env, tmp)).toContain(path.join(dataDir, 'terraform', 'plugins'));
    expect(findMirror(env, conventionalMirrorDirs(env, tmp)).dir).toBe(path.join(dataDir, 'terraform', 'plugins'));
  });

  it('falls back to the public registry when no candidate holds a mirror', () => {
    expect(findMirror({}, [path.join(tmp, 'none'), tmp]).dir).toBeUndefined();
    expect(cliConfig(undefined, path.join(tmp, 'cache'))).not.toContain('provider_installation');
  });

  it('is generated into the git-ignored .local folder and overrides a machine-wide TF_CLI_CONFIG_FILE', () => {
    const tc = toolchain();
    expect(fs.readFileSync(tc.cliConfigFile, 'utf8')).toContain('plugin_cache_dir');
    expect(path.relative(process.cwd(), tc.cliConfigFile).split(path.sep)[0]).toBe('.local');
    const saved = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = path.join(tmp, 'missing.terraformrc');
    try {
      expect(terraformEnv().TF_CLI_CONFIG_FILE).toBe(tc.cliConfigFile);
    } finally {
      if (saved === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = saved;
    }
  });
});

describe('terraform validate', () => {
  let outdir: string;
  let stacks: readonly SynthesizedStack[];
  const timings = new Timings();

  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-validate-'));
    // One synthesis of the real target with default settings, as `npm run validate` does.
    stacks = (await timings.time('synth', () => synthesize({ outdir, env: {} }))).stacks;
  }, 120_000);

  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
    console.log(`terraform validate timings\n${timings.table()}`);
  });

  it('covers every stack the app builds', () => {
    const app = new App({ outdir: path.join(outdir, 'unused') });
    buildStacks(app, loadConfig({ env: {} }));
    const built = app.node.children.map((c) => c.node.id);
    expect(stacks.map((s) => s.name)).toEqual(built);
    expect(stacks.length).toBeGreaterThanOrEqual(2);
  });

  it('accepts every stack (init -backend=false, then validate)', async () => {
    // Fails with Terraform's own diagnostics for the first stack it rejects.
    await validateStacks(stacks, timings);
  }, 600_000);
});
