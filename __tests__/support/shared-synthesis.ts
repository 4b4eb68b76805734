import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
// The project root, computed here rather than imported: this module must stay cheap to load.
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
import type { NodeRuntime } from '../../lib/bundling';
import type { PipelinesConfig } from '../../lib/config';
import type { TfJson } from './tf-json';

/**
 * The app synthesized once per test run, for every suite that only reads the result.
 *
 * The unit tier's global setup (shared-synthesis-setup.ts) runs `buildStacks` with each
 * configuration below and writes every stack's JSON under a folder named by the digest of the
 * sources synthesis depends on; it hands that folder to the test workers in SHARED_SYNTHESIS_ENV.
 * A suite therefore reads what the sources are now, never an older synthesis: a changed source is
 * another folder. A configuration not listed here still works: the suite synthesizes it itself.
 */
export type ConfigOverrides = Readonly<Record<string, string>>;

/** Every PIPELINES_ALARM_* threshold set away from its default (lib/monitoring.test.ts reads them back). */
export const ALARM_SETTINGS: ConfigOverrides = {
  PIPELINES_ALARM_API_ERROR_PERCENT: '5',
  PIPELINES_ALARM_API_LATENCY_MS: '1500',
  PIPELINES_ALARM_LAMBDA_ERRORS: '3',
  PIPELINES_ALARM_LAMBDA_THROTTLES: '4',
  PIPELINES_ALARM_LAMBDA_DURATION_PERCENT: '50',
  PIPELINES_ALARM_QUEUE_AGE_SECONDS: '120',
  PIPELINES_ALARM_DYNAMODB_THROTTLES: '7',
};

export const SHARED_CONFIGS: readonly ConfigOverrides[] = [
  {},
  { PIPELINES_ENV: 'dev' },
  { PIPELINES_ENV: 'staging' },
  { PIPELINES_ENV: 'prod' },
  { PIPELINES_TARGET: 'local' },
  { PIPELINES_API_RATE_LIMIT: '7', PIPELINES_API_BURST_LIMIT: '9' },
  { PIPELINES_PROXY_STREAMS: 'events,audit' },
  { PIPELINES_PUTRECORD_STREAMS: 'telemetry' },
  { PIPELINES_REGION: 'eu-west-1', PIPELINES_STATE_REGION: 'eu-central-1' },
  { PIPELINES_APIGW_ACCOUNT_ROLE: 'existing' },
  { PIPELINES_TARGET: 'local', PIPELINES_LOCAL_ENDPOINT: 'http://127.0.0.1:4999' },
  { PIPELINES_ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:pager' },
  { PIPELINES_ALARM_EMAILS: 'oncall@example.com' },
  ALARM_SETTINGS,
  { PIPELINES_ENV: 'staging', PIPELINES_REGION: 'eu-west-1', PIPELINES_ALARM_EMAILS: 'ops@example.com' },
  { PIPELINES_ENV: 'prod', PIPELINES_REGION: 'eu-west-1', PIPELINES_ALARM_EMAILS: 'ops@example.com' },
];

/**
 * Configurations also synthesized to disk exactly as `npm run synth` does (`synthesize` in
 * scripts/lib/synth.ts: manifest, stack folders, assets), for the suites that read that output
 * (dependency order, cost, diagrams): see app-synthesis.ts.
 */
export const SHARED_OUTDIR_CONFIGS: readonly ConfigOverrides[] = [{}, { PIPELINES_APIGW_ACCOUNT_ROLE: 'existing' }];

/** A configuration's output folder inside this run's synthesis, and the file listing its stacks. */
export function outdirOf(overrides: ConfigOverrides): { readonly dir: string; readonly stacksFile: string } {
  const base = `outdir-${configFileName(overrides).replace(/\.json$/, '')}`;
  return { dir: base, stacksFile: `${base}.stacks.json` };
}

/** One stack of an output folder, its directory relative to the folder (the synthesis is renamed into place). */
export interface OutdirStack {
  readonly name: string;
  readonly relativeDir: string;
  readonly dependencies: readonly string[];
}

/** What the setup records of an output folder: the configuration `synthesize` loaded, and the stacks in order. */
export interface SharedOutdir {
  readonly config: PipelinesConfig;
  readonly stacks: readonly OutdirStack[];
}

/** Set by the global setup for the workers: the folder holding this run's synthesis. */
export const SHARED_SYNTHESIS_ENV = 'PIPELINES_TEST_SYNTHESIS_DIR';

/** What synthesis reads besides node_modules: the app's code and the files that pin its dependencies. */
export const SYNTHESIS_SOURCES = [
  'stacks',
  'lib',
  'lambdas',
  'main.ts',
  'scripts/lib/synth.ts',
  'cdktf.json',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  '__tests__/support/shared-synthesis.ts',
  '__tests__/support/shared-synthesis-child.ts',
];

/** Where syntheses are kept: PIPELINES_TEST_SYNTHESIS_CACHE_DIR, by default git-ignored node_modules/.cache. */
export function synthesisCacheRoot(): string {
  return process.env.PIPELINES_TEST_SYNTHESIS_CACHE_DIR ?? path.join(PROJECT_ROOT, 'node_modules', '.cache', 'serverless-pipelines', 'synthesis');
}

function filesBelow(relative: string, root: string): string[] {
  const full = path.join(root, relative);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs.readdirSync(full).sort().flatMap((name) => filesBelow(path.join(relative, name), root));
}

/** Digest of the path and bytes of every source file: any edit, addition or removal changes it. */
export function sourcesDigest(sources: readonly string[] = SYNTHESIS_SOURCES, root = PROJECT_ROOT): string {
  const hash = crypto.createHash('sha256');
  for (const file of sources.flatMap((s) => filesBelow(s, root))) {
    hash.update(`${file}\0`).update(fs.readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** One configuration's file name: the same overrides in any order name the same file. */
export function configFileName(overrides: ConfigOverrides): string {
  const canonical = JSON.stringify(Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b)));
  return `${crypto.createHash('sha256').update(canonical).digest('hex').slice(0, 24)}.json`;
}

/** A Lambda bundle the synthesis embedded (its hash is in the JSON): the setup checks it is still what a build would give. */
export interface BundleRecord {
  readonly entry: string;
  readonly runtime: NodeRuntime;
  readonly sha256Hex: string;
}
export const BUNDLES_FILE = 'bundles.json';
/** What one synthesis child writes; the setup merges the parts into BUNDLES_FILE. */
export const bundlesPartFile = (part: number): string => `bundles.part-${part}.json`;

/** One configuration's synthesis: every stack `buildStacks` built, in order, with its JSON. */
export interface SynthesizedApp {
  readonly overrides: ConfigOverrides;
  readonly stacks: ReadonlyArray<{ readonly id: string; readonly tf: TfJson; readonly warnings: readonly string[] }>;
}

const readInThisSuite = new Map<string, SynthesizedApp>();

/** This run's synthesis of `overrides`, when the global setup made it; undefined otherwise. */
export function readSharedApp(overrides: ConfigOverrides): SynthesizedApp | undefined {
  const dir = process.env[SHARED_SYNTHESIS_ENV];
  if (!dir) return undefined;
  const file = path.join(dir, configFileName(overrides));
  const known = readInThisSuite.get(file);
  if (known) return known;
  if (!fs.existsSync(file)) return undefined;
  const app = JSON.parse(fs.readFileSync(file, 'utf8')) as SynthesizedApp;
  readInThisSuite.set(file, app);
  return app;
}
