import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cachedBundle } from '../../lib/bundling';
import { BundleRecord, BUNDLES_FILE, SHARED_SYNTHESIS_ENV, sourcesDigest, synthesisCacheRoot } from './shared-synthesis';

/** Syntheses of older sources kept beside the current one (switching branches back and forth stays fast). */
const KEEP_OLDER = 4;

/**
 * The unit tier's global setup: makes sure this run's synthesis exists (see shared-synthesis.ts)
 * and hands its folder to the workers. A failed synthesis does not stop the run: the suites then
 * synthesize for themselves, and the ones the failure concerns report it.
 */
export default function setup(): void {
  const root = synthesisCacheRoot();
  const dir = path.join(root, sourcesDigest());
  if (!isCurrent(dir)) {
    const made = synthesizeInto(dir);
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

function synthesizeInto(dir: string): { ok: boolean; stderr: string } {
  const partial = `${dir}.${process.pid}.partial`;
  const child = path.join(__dirname, 'shared-synthesis-child.ts');
  const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--swc', child, partial], { encoding: 'utf8' });
  if (result.status !== 0) {
    fs.rmSync(partial, { recursive: true, force: true });
    return { ok: false, stderr: result.stderr };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(partial, dir);
  } catch {
    // Another run put the same synthesis in place first.
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return { ok: true, stderr: result.stderr };
}

function pruneOlder(root: string, current: string): void {
  const older = fs
    .readdirSync(root)
    .map((name) => path.join(root, name))
    .filter((p) => p !== current)
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const stale of older.slice(KEEP_OLDER)) fs.rmSync(stale, { recursive: true, force: true });
}
