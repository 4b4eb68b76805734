import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, loadConfig } from '../lib/config';
import { readLocalDeployment } from '../local/deployment/local-deployment';
import { PROJECT_ROOT } from '../lib/bundling';
import { LOCAL_OUTDIR } from './lib/synth';
import { LOCAL_DIR } from './lib/emulator';
import { formatFigures, LoadFigures, LoadTarget, measureLoad } from './lib/bench-load';
import { commentsLoad, PipelineLoad, proxyLoad, putRecordLoad, webhookLoad } from './lib/load-pipelines';
import { call, expectStatus } from './lib/smoke-http';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { outputString, smokeTarget } from './lib/smoke-target';

/**
 * `npm run bench:local`: the local data plane's figures, after `npm run deploy:local` (serve:local
 * makes the webhook secret's first rotation itself), with no other serve:local running. Not a test: it prints.
 *
 *   1. serve:local ready: wall clock from spawning `serve:local` to its "ready" line (target <= 5 s)
 *   2. warm latency, p50/p95 over 200 sequential requests after 20 warm-ups:
 *      Lambda proxy (GET /health of the customers API, target p50 <= 20 ms) and a mapping-template
 *      AWS integration (PUT /<stream> of the PutRecord API, target p50 <= 15 ms)
 *   3. `npm run smoke -- --target local` of every pipeline, wall clock (target <= 60 s)
 *   4. load, per pipeline: throughput, p50/p99 at concurrency 1, 8 and 32 (3 runs each, min/median/max),
 *      the requests lost (accepted but never stored, logged or in the stream), next to a floor measured
 *      in the same run (a bare Node http server answering the same body); `--load-only` runs just this
 * serve:local's own log goes to `.local/bench-serve.log`.
 */
// Run directly (not through npx) so that SIGTERM reaches serve:local itself.
const TS_NODE = require.resolve('ts-node/dist/bin');
const SERVE_LOG = 'bench-serve.log';
const WARMUP = 20;
const SAMPLES = 200;
const LOAD_RUNS = 3;
const READ_REQUESTS = 400;
const WRITE_REQUESTS = 100;

async function main(args: readonly string[]): Promise<void> {
  const config = loadConfig({ env: process.env });
  const deployment = await readLocalDeployment(LOCAL_OUTDIR, { endpoint: config.localEndpoint, region: config.region });
  const putKey = deployment.find((s) => s.name === 'apigw-kinesis-putrecord')?.outputs.api_key_value as string | undefined;

  // serve:local logs a few lines per request: into a file, as a terminal would take them. Read
  // through a pipe, they cost the load generator (this process) CPU that the floor's runs do not.
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  const serveLog = path.join(LOCAL_DIR, SERVE_LOG);
  const logFd = fs.openSync(serveLog, 'w');
  const started = Date.now();
  const serve = spawn(process.execPath, [TS_NODE, '--swc', 'scripts/serve-local.ts'], { cwd: PROJECT_ROOT, stdio: ['ignore', logFd, 'pipe'], env: process.env });
  fs.closeSync(logFd);
  const urls: Record<string, string> = {};
  try {
    const readyMs = await waitForReady(serve, serveLog, urls);
    const ready = Date.now() - started;
    const figures: string[] = [`serve:local ready: ${ready} ms wall clock (${readyMs} ms inside the process); target <= 5000 ms`];

    if (args.includes('--load-only')) {
      process.stdout.write(`\nbench:local load (${new Date().toISOString()})\n${formatFigures(await loadPhase(config))}\n`);
      return;
    }
    const health = `${urls['apigw-lambda-dynamodb-customers']}/health`;
    figures.push(`Lambda proxy GET /health: ${describe(await measure(() => fetch(health)))}; target p50 <= 20 ms`);
    if (putKey) {
      const put = `${urls['apigw-kinesis-putrecord']}/${config.putRecordStreams[0]}`;
      const body = JSON.stringify({ Data: { bench: true }, PartitionKey: 'bench' });
      const headers = { 'content-type': 'application/json', 'x-api-key': putKey };
      figures.push(`mapping-template AWS integration PUT /${config.putRecordStreams[0]} (Kinesis PutRecord): ${describe(await measure(() => fetch(put, { method: 'PUT', headers, body })))}; target p50 <= 15 ms`);
    }
    const smokeStarted = Date.now();
    const smokeCode = await runToEnd(process.execPath, [TS_NODE, '--swc', 'scripts/smoke.ts', '--target', 'local']);
    figures.push(`smoke --target local (all pipelines): ${((Date.now() - smokeStarted) / 1000).toFixed(1)} s wall clock, exit ${smokeCode}; target <= 60 s`);
    const load = formatFigures(await loadPhase(config));
    process.stdout.write(`\nbench:local (${new Date().toISOString()})\n${figures.map((f) => `  ${f}`).join('\n')}\n\nload, ${LOAD_RUNS} runs each (min/median/max):\n${load}\n`);
  } finally {
    serve.kill('SIGTERM');
  }
}

/** Every pipeline's route under load; the write routes count what they lose. */
async function loadPhase(config: ReturnType<typeof loadConfig>): Promise<LoadFigures[]> {
  const target = smokeTarget('local', config);
  const customers = await target.outputs('apigw-lambda-dynamodb-customers');
  const api = outputString(customers, 'api_url', 'apigw-lambda-dynamodb-customers').replace(/\/$/, '');
  const key = outputString(customers, 'api_key_value', 'apigw-lambda-dynamodb-customers');
  const created = await call(`${api}/customers`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ name: 'Bench', email: 'bench@example.com' }) });
  expectStatus(created, 201);
  const id = created.json().customerId as string;
  // Each read route's answer must be a success: a route measured on its error path is not the route.
  const get = (url: string, headers: Record<string, string> = {}) => async (): Promise<LoadTarget['sample'] & { send(): Promise<number> }> => {
    const r = await call(url, { headers });
    expectStatus(r, 200);
    return { status: r.status, contentType: r.headers.get('content-type') ?? 'application/json', body: r.text, send: async () => (await call(url, { headers })).status };
  };
  const reads: [string, Awaited<ReturnType<ReturnType<typeof get>>>][] = [
    ['customers GET /health (Lambda proxy)', await get(`${api}/health`)()],
    ['customers GET /customers/{id} (API key, Lambda, DynamoDB)', await get(`${api}/customers/${id}`, { 'x-api-key': key })()],
  ];
  const all: LoadFigures[] = [];
  for (const [label, read] of reads) {
    all.push(...(await measureLoad({ label, send: () => read.send(), sample: read }, READ_REQUESTS, LOAD_RUNS)));
  }
  let runs = 0;
  const writes: ((run: string) => Promise<PipelineLoad>)[] = [
    (run) => webhookLoad(target, run),
    (run) => commentsLoad(target, run),
    // One partition key per request in flight: each key's puts are sent in order.
    (run) => putRecordLoad(target, run, 32),
    (run) => proxyLoad(target, run, 32),
  ];
  for (const make of writes) {
    const probe = await make(`bench-probe-${Date.now()}`);
    await probe.send(0);
    const fresh = async () => {
      const instance = await make(`bench-${Date.now()}-${runs++}`);
      const lost = async (ms: number) => {
        const report = await instance.lost(ms);
        await instance.cleanup();
        return report;
      };
      return { send: (i: number) => instance.send(i), lost };
    };
    all.push(...(await measureLoad({ label: probe.name, send: (i) => probe.send(i), sample: { ...probe.last }, fresh }, WRITE_REQUESTS, LOAD_RUNS)));
    await probe.cleanup();
  }
  // The API has no DELETE (405): the bench's customer goes from the table directly, as the smoke's does.
  await new DynamoDBClient(target.clientConfig).send(new DeleteItemCommand({ TableName: outputString(customers, 'table_name', 'apigw-lambda-dynamodb-customers'), Key: { customerId: { S: id } } }));
  return all;
}

function waitForReady(child: ChildProcess, logFile: string, urls: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    let errors = '';
    child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
    const onExit = (code: number | null) => finish(new Error(`serve:local exited with ${code} before it was ready:\n${errors}`));
    child.once('exit', onExit);
    const timer = setTimeout(() => finish(new Error(`serve:local did not get ready within 60 s (its log: ${logFile})`)), 60_000);
    const poll = setInterval(() => {
      for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
        const url = /^\S+ (apigw-[a-z0-9-]+): (http:\/\/\S+)$/.exec(line);
        if (url) urls[url[1]] = url[2].replace(/\/$/, '');
        const ready = /serve:local ready at \S+ in (\d+) ms/.exec(line);
        if (ready) return finish(undefined, Number(ready[1]));
      }
    }, 20);
    function finish(error: Error | undefined, readyMs?: number) {
      clearTimeout(timer);
      clearInterval(poll);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(readyMs!);
    }
  });
}

async function measure(request: () => Promise<Response>): Promise<number[]> {
  const once = async () => {
    const t = process.hrtime.bigint();
    const response = await request();
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`benchmark request answered ${response.status}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await once());
  return samples.sort((a, b) => a - b);
}

function describe(sorted: number[]): string {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (n=${sorted.length})`;
}

function runToEnd(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `bench:local: ${error.message}`);
  process.exit(1);
});
