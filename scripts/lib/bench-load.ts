import { ChildProcess, spawn } from 'child_process';
import * as readline from 'readline';
import { failures, latencyQuantile, LoadOptions, runLoad, spread, throughput } from './load';
import { LostReport } from './load-pipelines';
import { call } from './smoke-http';

/**
 * bench:local's load phase: one route at concurrency 1, 8 and 32, `runs` times each, against a
 * floor measured in the same run: a bare Node http server, in a process of its own as serve:local
 * is, answering the route's own status, content type and body. The figure that matters is the
 * route's throughput as a share of the floor's, which machine load moves far less than either.
 */
export const CONCURRENCIES = [1, 8, 32] as const;

export interface LoadTarget {
  readonly label: string;
  /** Request i of a run; answers its status. */
  send(index: number): Promise<number>;
  /** What the floor answers: one real response of the route. */
  readonly sample: { status: number; contentType: string; body: string };
  /** A fresh target for each run (its own ids), and how many of its accepted requests were lost. */
  readonly fresh?: () => Promise<{ send(index: number): Promise<number>; lost(timeoutMs: number): Promise<LostReport> }>;
}

export interface LoadFigures {
  readonly label: string;
  readonly concurrency: number;
  readonly rps: number[];
  readonly p50: number[];
  readonly p99: number[];
  readonly floorRps: number[];
  readonly errors: number;
  readonly lost: number;
}

// Kinesis and webhook runs must reach the stream or table; the comments consumer batches for up to 5 s.
const LOST_TIMEOUT_MS = 60_000;
// Not measured: lets both servers compile their hot paths before the first measured run (c=1 came out
// slowest of all when it paid for the JIT).
const WARMUP_REQUESTS = 200;

export async function measureLoad(target: LoadTarget, count: number, runs: number): Promise<LoadFigures[]> {
  const floor = await startFloor(target.sample);
  // The floor is asked through the same client code as the route, so the client costs both the same.
  const askFloor = async () => (await call(floor.url)).status;
  try {
    await runLoad({ count: WARMUP_REQUESTS, concurrency: 8 }, askFloor);
    await runLoad({ count: WARMUP_REQUESTS, concurrency: 8 }, (i) => target.send(i));
    const figures: LoadFigures[] = [];
    for (const concurrency of CONCURRENCIES) {
      const f: LoadFigures = { label: target.label, concurrency, rps: [], p50: [], p99: [], floorRps: [], errors: 0, lost: 0 };
      const options: LoadOptions = { count, concurrency };
      for (let r = 0; r < runs; r++) {
        // Floor and route alternate, so drift in machine load hits both alike.
        f.floorRps.push(throughput(await runLoad(options, askFloor)));
        const instance = target.fresh ? await target.fresh() : undefined;
        const run = await runLoad(options, (i) => (instance ?? target).send(i));
        f.rps.push(throughput(run));
        f.p50.push(latencyQuantile(run, 0.5));
        f.p99.push(latencyQuantile(run, 0.99));
        (f as { errors: number }).errors += Object.values(failures(run)).reduce((a, b) => a + b, 0);
        if (instance) (f as { lost: number }).lost += (await instance.lost(LOST_TIMEOUT_MS)).lost;
      }
      figures.push(f);
    }
    return figures;
  } finally {
    floor.process.kill();
  }
}

export function formatFigures(all: readonly LoadFigures[]): string {
  const mmm = (v: number[], digits: number) => {
    const s = spread(v);
    return `${s.min.toFixed(digits)}/${s.median.toFixed(digits)}/${s.max.toFixed(digits)}`;
  };
  const rows = all.map((f) => {
    const ratio = f.rps.map((r, i) => r / f.floorRps[i]);
    return `| ${f.label} | ${f.concurrency} | ${mmm(f.rps, 0)} | ${mmm(f.p50, 1)} | ${mmm(f.p99, 1)} | ${mmm(f.floorRps, 0)} | ${mmm(ratio, 2)} | ${f.errors} | ${f.lost} |`;
  });
  return [
    '| route | concurrency | req/s min/median/max | p50 ms | p99 ms | floor req/s | share of floor | non-2xx | lost |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

// Plain JavaScript in its own process: the least any HTTP server on this Node can do per request.
const FLOOR_SOURCE = `
const http = require('http');
const { STATUS, CONTENT_TYPE, BODY } = process.env;
const body = Buffer.from(BODY, 'utf8');
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(Number(STATUS), { 'content-type': CONTENT_TYPE, 'content-length': String(body.length) });
    res.end(body);
  });
}).listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n'); });
`;

async function startFloor(sample: LoadTarget['sample']): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', FLOOR_SOURCE], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH ?? '', STATUS: String(sample.status), CONTENT_TYPE: sample.contentType, BODY: sample.body },
  });
  const port = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the floor server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port.trim()}/`, process: child };
}
