import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cachedBundle } from '../../lib/bundling';
import { BundleRecord, BUNDLES_FILE, bundlesPartFile, SHARED_SYNTHESIS_ENV, sourcesDigest, synthesisCacheRoot } from './shared-synthesis';

/** Syntheses of older sources kept beside the current one (switching branches back and forth stays fast). */
const KEEP_OLDER = 4;

/**
 * The unit tier's global setup: makes sure this run's synthesis exists (see shared-synthesis.ts)
 * and hands its folder to the workers. A failed synthesis does not stop the run: the suites then
 * synthesize for themselves, and the ones the failure concerns report it.
 */
export async function setupSharedSynthesis(): Promise<void> {
  const root = synthesisCacheRoot();
  const dir = path.join(root, sourcesDigest());
  if (!isCurrent(dir)) {
    const made = await synthesizeInto(dir);
    if (!made.ok) {
      console.error(`\nshared synthesis failed; every suite synthesizes for itself.\n${made.stderr}`);
      return;
    }
  }
  process.env[SHARED_SYNTHESIS_ENV] = dir;
  pruneOlder(root, dir);
}

/**
 * Complete (it is renamed into place only once written) and built with the bundles a build would
 * give now: the digest covers the sources and lockfiles, this covers node_modules itself.
 */
function isCurrent(dir: string): boolean {
  const file = path.join(dir, BUNDLES_FILE);
  if (!fs.existsSync(file)) return false;
  const bundles = JSON.parse(fs.readFileSync(file, 'utf8')) as BundleRecord[];
  return bundles.every((b) => {
    const zip = cachedBundle(b.entry, b.runtime);
    return zip !== undefined && crypto.createHash('sha256').update(zip).digest('hex') === b.sha256Hex;
  });
}

/**
 * Two children, each synthesizing half of the configurations, since a synthesis keeps one core
 * busy; asynchronous, so that the global setup starts the emulators meanwhile.
 */
const PARTS = 2;

async function synthesizeInto(dir: string): Promise<{ ok: boolean; stderr: string }> {
  const partial = `${dir}.${process.pid}.partial`;
  const results = await Promise.all(Array.from({ length: PARTS }, (_, part) => synthesizePart(partial, part)));
  const stderr = results.map((r) => r.stderr).join('');
  if (results.some((r) => r.status !== 0)) {
    fs.rmSync(partial, { recursive: true, force: true });
    return { ok: false, stderr };
  }
  const bundles = new Map<string, BundleRecord>();
  for (let part = 0; part < PARTS; part++) {
    for (const b of JSON.parse(fs.readFileSync(path.join(partial, bundlesPartFile(part)), 'utf8')) as BundleRecord[]) bundles.set(`${b.entry}|${b.runtime}`, b);
  }
  fs.writeFileSync(path.join(partial, BUNDLES_FILE), JSON.stringify([...bundles.values()]));
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(partial, dir);
  } catch {
    // Another run put the same synthesis in place first.
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return { ok: true, stderr };
}

async function synthesizePart(partial: string, part: number): Promise<{ status: number | null; stderr: string }> {
  const childScript = path.join(__dirname, 'shared-synthesis-child.ts');
  const args = [require.resolve('ts-node/dist/bin.js'), '--swc', childScript, partial, String(part), String(PARTS)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      stderr += e.message;
      resolve(null);
    });
    child.once('close', resolve);
  });
  return { status, stderr };
}

function pruneOlder(root: string, current: string): void {
  const older = fs
    .readdirSync(root)
    .map((name) => path.join(root, name))
    .filter((p) => p !== current)
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const stale of older.slice(KEEP_OLDER)) fs.rmSync(stale, { recursive: true, force: true });
}
