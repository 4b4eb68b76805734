import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { buildSync } from 'esbuild';
import { unzipSync } from 'fflate';
import { deterministicZip, lambdaBuildOptions, LambdaBundle, PROJECT_ROOT } from '../../lib/bundling';
import { loadConfig } from '../../lib/config';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { buildStacks } from '../../stacks';

/** One deployed function as the synthesized app defines it. */
export interface DeployedFunction {
  readonly name: string;
  readonly bundle: LambdaBundle;
  /** The function's environment variables as synthesized (NODE_OPTIONS included). */
  readonly environment: Readonly<Record<string, string>>;
}

/** Every NodejsFunction of the app with the default configuration, with its synthesized environment. */
export function deployedFunctions(outdir: string): DeployedFunction[] {
  const app = new App({ outdir });
  buildStacks(app, loadConfig({ env: {}, context: () => undefined }));
  app.synth();
  const result: DeployedFunction[] = [];
  for (const stack of app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
    const file = path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json');
    const tf = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      resource?: { aws_lambda_function?: Record<string, { function_name: string; source_code_hash: string; environment?: { variables?: Record<string, string> } }> };
    };
    const functions = Object.values(tf.resource?.aws_lambda_function ?? {});
    for (const construct of stack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction)) {
      const fn = functions.find((f) => f.source_code_hash === construct.bundle.sha256Base64);
      if (!fn) throw new Error(`${construct.node.path}: no aws_lambda_function with its source_code_hash in ${file}`);
      result.push({ name: fn.function_name, bundle: construct.bundle, environment: fn.environment?.variables ?? {} });
    }
  }
  return result;
}

/** Sizes of a zip: the archive, and its code (index.js) and source map unpacked. */
export function zipSizes(zipPath: string): { zip: number; code: number; map: number } {
  const files = unzipSync(fs.readFileSync(zipPath));
  return { zip: fs.statSync(zipPath).size, code: files['index.js']?.byteLength ?? 0, map: files['index.js.map']?.byteLength ?? 0 };
}

/** Unpacks a zip into a fresh folder, as Lambda does into /var/task. */
export function unpack(zip: Uint8Array, into: string): string {
  fs.mkdirSync(into, { recursive: true });
  for (const [name, contents] of Object.entries(unzipSync(zip))) fs.writeFileSync(path.join(into, name), contents);
  return into;
}

/** The `@aws-sdk/client-*` packages an entry's bundle pulls in, from esbuild's metafile. */
export function sdkClientsOf(entry: string, bundle: LambdaBundle): string[] {
  const result = buildSync({ ...lambdaBuildOptions(bundle.runtime), entryPoints: [path.resolve(PROJECT_ROOT, entry)], metafile: true });
  const clients = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(input);
    if (match) clients.add(match[1]);
  }
  return [...clients].sort();
}

/**
 * The floor a function is compared with: a bundle holding only the SDK clients it uses, each
 * constructed at module scope as a handler does, and a Powertools Logger, built with the deployed
 * bundling options. Whatever a handler costs beyond it is its own code and libraries.
 */
export function buildFloor(clients: readonly string[], bundle: LambdaBundle): Uint8Array {
  const lines = ["import { Logger } from '@aws-lambda-powertools/logger';", 'const logger = new Logger();'];
  clients.forEach((pkg, i) => {
    lines.push(`import { ${clientClassOf(pkg)} as Client${i} } from '${pkg}';`, `const client${i} = new Client${i}({});`);
  });
  lines.push(`export const handler = async () => { logger.info('floor'); return [${clients.map((_, i) => `client${i}`).join(', ')}].length; };`);
  const result = buildSync({
    ...lambdaBuildOptions(bundle.runtime),
    stdin: { contents: lines.join('\n'), resolveDir: PROJECT_ROOT, sourcefile: 'floor.ts', loader: 'ts' },
  });
  return deterministicZip(result.outputFiles);
}

/** `@aws-sdk/client-secrets-manager` exports `SecretsManagerClient`: the one export named `*Client`. */
function clientClassOf(pkg: string): string {
  const names = Object.keys(require(pkg) as Record<string, unknown>).filter((n) => /^[A-Z][A-Za-z0-9]*Client$/.test(n));
  if (names.length !== 1) throw new Error(`${pkg}: expected one *Client export, found ${names.join(', ') || 'none'}`);
  return names[0];
}

// Runs in a fresh process: the time to require the handler module (parse, compile, and run its top-level code).
const RUNNER = [
  "const { performance } = require('perf_hooks');",
  'const start = performance.now();',
  'require(process.argv[2]);',
  'process.stdout.write(String(performance.now() - start));',
].join('\n');

/** What Lambda sets for every function; Powertools and the SDK read some of it at init. */
function lambdaEnvironment(fn: DeployedFunction, taskRoot: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.bundle.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    LAMBDA_TASK_ROOT: taskRoot,
    ...fn.environment,
  };
}

export interface InitTimes {
  readonly handler: number[];
  readonly floor: number[];
}

/**
 * Times module init of the handler and its floor in `runs` fresh processes each, alternating the
 * two so that drift in machine load hits both alike. Each process runs on this Node (the pinned one
 * under `npm run`) with the function's deployed environment, NODE_OPTIONS included.
 */
export function timeInit(fn: DeployedFunction, handlerDir: string, floorDir: string, runs: number): InitTimes {
  const runner = path.join(os.tmpdir(), `sp-bench-runner-${process.pid}.js`);
  fs.writeFileSync(runner, RUNNER);
  const once = (dir: string): number => {
    const result = spawnSync(process.execPath, [runner, path.join(dir, 'index.js')], { env: lambdaEnvironment(fn, dir), encoding: 'utf8' });
    const ms = Number(result.stdout);
    if (result.status !== 0 || !Number.isFinite(ms)) {
      throw new Error(`${fn.name}: module init failed in ${dir} (exit ${result.status}):\n${result.stderr}`);
    }
    return ms;
  };
  // One untimed pass of each warms the file cache, as a Lambda sandbox's disk is warm when init runs.
  once(handlerDir);
  once(floorDir);
  const times: InitTimes = { handler: [], floor: [] };
  for (let i = 0; i < runs; i++) {
    times.handler.push(once(handlerDir));
    times.floor.push(once(floorDir));
  }
  return times;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
