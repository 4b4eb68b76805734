import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
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
  /** CPU time per request of the route's server (every thread, less its idle rate) and of the floor; empty where /proc is not there. */
  readonly cpuUs: number[];
  readonly floorCpuUs: number[];
  readonly errors: number;
  readonly lost: number;
}

// Kinesis and webhook runs must reach the stream or table; the comments consumer batches for up to 5 s.
const LOST_TIMEOUT_MS = 60_000;
// Not measured: lets both servers compile their hot paths before the first measured run (c=1 came out
// slowest of all when it paid for the JIT).
const WARMUP_REQUESTS = 200;

/**
 * CPU seconds a process has used (user + system, all its threads), from /proc (Linux). On a busy
 * machine a server's CPU time per request moves far less than its wall-clock throughput.
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html (fields 14 utime and 15 stime, in clock ticks)
 */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
// sysconf(_SC_CLK_TCK), 100 on every Linux that Node supports.
const CLOCK_TICKS_PER_SECOND = 100;

/** The server whose CPU time is counted, and what it spends per second with no request (serve:local's pollers). */
export interface ServerProcess {
  readonly pid: number;
  readonly idleCpuPerSecond: number;
}

/** CPU seconds per second of `pid` over `ms` with nothing sent to it. */
export async function idleCpuPerSecond(pid: number, ms = 5000): Promise<number> {
  const before = cpuSeconds(pid) ?? 0;
  const started = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  return ((cpuSeconds(pid) ?? 0) - before) / ((Date.now() - started) / 1000);
}

async function timed<T>(server: ServerProcess | undefined, count: number, work: () => Promise<T>): Promise<{ result: T; cpuUs?: number }> {
  const before = cpuSeconds(server?.pid);
  const started = Date.now();
  const result = await work();
  const after = cpuSeconds(server?.pid);
  if (!server || before === undefined || after === undefined) return { result };
  const idle = (server.idleCpuPerSecond * (Date.now() - started)) / 1000;
  return { result, cpuUs: (Math.max(0, after - before - idle) * 1e6) / count };
}

/** `server`: the route's server process, for its CPU time per request beyond its idle rate. */
export async function measureLoad(target: LoadTarget, count: number, runs: number, server?: ServerProcess): Promise<LoadFigures[]> {
  const floor = await startFloor(target.sample);
  // The floor is asked through the same client code as the route, so the client costs both the same.
  const askFloor = async () => (await call(floor.url)).status;
  try {
    await runLoad({ count: WARMUP_REQUESTS, concurrency: 8 }, askFloor);
    await runLoad({ count: WARMUP_REQUESTS, concurrency: 8 }, (i) => target.send(i));
    const figures: LoadFigures[] = [];
    for (const concurrency of CONCURRENCIES) {
      const f: LoadFigures = { label: target.label, concurrency, rps: [], p50: [], p99: [], floorRps: [], cpuUs: [], floorCpuUs: [], errors: 0, lost: 0 };
      const options: LoadOptions = { count, concurrency };
      for (let r = 0; r < runs; r++) {
        // Floor and route alternate, so drift in machine load hits both alike.
        const floorRun = await timed(floor.process.pid === undefined ? undefined : { pid: floor.process.pid, idleCpuPerSecond: 0 }, count, () => runLoad(options, askFloor));
        f.floorRps.push(throughput(floorRun.result));
        if (floorRun.cpuUs !== undefined) f.floorCpuUs.push(floorRun.cpuUs);
        const instance = target.fresh ? await target.fresh() : undefined;
        const routeRun = await timed(server, count, () => runLoad(options, (i) => (instance ?? target).send(i)));
        const run = routeRun.result;
        if (routeRun.cpuUs !== undefined) f.cpuUs.push(routeRun.cpuUs);
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
    const cpu = (v: number[]) => (v.length ? mmm(v, 0) : 'n/a');
    return `| ${f.label} | ${f.concurrency} | ${mmm(f.rps, 0)} | ${mmm(f.p50, 1)} | ${mmm(f.p99, 1)} | ${mmm(f.floorRps, 0)} | ${mmm(ratio, 2)} | ${cpu(f.cpuUs)} | ${cpu(f.floorCpuUs)} | ${f.errors} | ${f.lost} |`;
  });
  return [
    '| route | concurrency | req/s min/median/max | p50 ms | p99 ms | floor req/s | share of floor | server CPU µs/req | floor CPU µs/req | non-2xx | lost |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
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
