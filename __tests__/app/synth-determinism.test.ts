import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT } from '../../lib/bundling';

interface Synthesis {
  readonly status: number | null;
  readonly stderr: string;
  readonly outdir: string;
}

/** Runs the real app (main.ts) the way `cdktf synth` does, into its own outdir and bundle folder. */
async function synthesizeApp(env: Record<string, string> = {}): Promise<Synthesis> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-synth-'));
  const outdir = path.join(scratch, 'out');
  const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--swc', 'main.ts'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CDKTF_OUTDIR: outdir, PIPELINES_BUNDLE_DIR: path.join(scratch, 'bundles'), ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { status, stderr, outdir };
}

/** Relative path -> SHA-256 of every file below `dir`. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('synthesis of the whole app', () => {
  // The first takes its zips from the bundle cache (built earlier, in another process: by the global
  // setup's synthesis or an earlier run); the second builds every zip again with the cache off.
  // Byte-identical output shows that a rebuild gives the same bytes as a build made elsewhere and kept.
  let first: Synthesis;
  let second: Synthesis;
  let bad: Synthesis;
  // The three processes run side by side: each spends much of its time waiting on esbuild or the disk.
  beforeAll(async () => {
    [first, second, bad] = await Promise.all([
      synthesizeApp(),
      synthesizeApp({ PIPELINES_BUNDLE_CACHE: 'off' }),
      synthesizeApp({ PIPELINES_ENV: 'Prod', PIPELINES_LOG_RETENTION_DAYS: '11' }),
    ]);
  }, 120_000);

  it('succeeds with the defaults, offline and without credentials', () => {
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
    expect(fs.existsSync(path.join(first.outdir, 'manifest.json'))).toBe(true);
  });

  it('is byte-identical twice in a row, bundles and zips included, with no absolute path in it', () => {
    const a = fingerprint(first.outdir);
    const b = fingerprint(second.outdir);
    expect(Object.keys(a).some((f) => f.endsWith('.zip'))).toBe(true);
    expect(b).toEqual(a);
    for (const file of Object.keys(a).filter((f) => f.endsWith('.json'))) {
      const text = fs.readFileSync(path.join(first.outdir, file), 'utf8');
      expect({ file, leaks: text.includes(PROJECT_ROOT) || text.includes(os.tmpdir()) }).toEqual({ file, leaks: false });
    }
  });

  it('names each Lambda asset after the zip it holds, and source_code_hash is that zip\'s base64 SHA-256', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(first.outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
    let checked = 0;
    for (const stack of Object.values(manifest.stacks)) {
      const stackFile = path.join(first.outdir, stack.synthesizedStackPath);
      const tf = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { resource?: { aws_lambda_function?: Record<string, { filename: string; source_code_hash: string }> } };
      for (const fn of Object.values(tf.resource?.aws_lambda_function ?? {})) {
        const zip = fs.readFileSync(path.join(path.dirname(stackFile), fn.filename));
        expect(fn.source_code_hash).toBe(crypto.createHash('sha256').update(zip).digest('base64'));
        expect(fn.filename).toContain(crypto.createHash('sha256').update(zip).digest('hex'));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('stops with one message naming every bad setting and its fix', () => {
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Invalid serverless-pipelines configuration \(2 problems\)/);
    expect(bad.stderr).toMatch(/PIPELINES_ENV="Prod": .* Fix: set PIPELINES_ENV/);
    expect(bad.stderr).toMatch(/PIPELINES_LOG_RETENTION_DAYS="11": .* Fix:/);
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(fs.existsSync(path.join(bad.outdir, 'manifest.json'))).toBe(false);
  });
});
