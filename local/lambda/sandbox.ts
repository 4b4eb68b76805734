import * as readline from 'readline';
import { Worker } from 'worker_threads';
import { OutputLines, OutputStream } from './output-lines';

/**
 * One warm Lambda execution environment: a worker thread that loads the function's module once
 * (the "init" phase) and then handles one event at a time, like a Lambda sandbox. The worker gets
 * its own `process.env` (the function's environment), so module-scope SDK clients read the
 * emulator endpoint and fake credentials exactly as they read the real ones on AWS.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
export interface SandboxOptions {
  readonly functionName: string;
  /** Folder the deployment package was unpacked into (LAMBDA_TASK_ROOT). */
  readonly codeDir: string;
  /** `index.handler`: module file (without extension) and export name. */
  readonly handler: string;
  readonly env: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
}

export interface InvocationError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export type InvocationOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: InvocationError };

// Plain JavaScript evaluated in the worker: it runs the deployed bundle, never this project's sources.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// The bundled SDK warns about the local Node version; Lambda's runtime would not, so the logs stay the function's own.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type;
  if (type === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
  return emitWarning.call(process, warning, ...rest);
};
// The function's output goes to the parent with the invocation's result, in the same message: a
// line through the worker's stdio stream costs the parent a message and an acknowledgement each.
// Output outside an invocation (init, work left running) or in a long one follows within FLUSH_MS.
const FLUSH_MS = 20;
const output = [];
let flushTimer;
const takeOutput = () => {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  return output.splice(0);
};
const flushOutput = () => {
  const chunks = takeOutput();
  if (chunks.length) parentPort.postMessage({ output: chunks });
};
const capture = (stream) =>
  function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') [callback, encoding] = [encoding, undefined];
    const text = typeof chunk === 'string' && (!encoding || /^utf-?8$/i.test(encoding)) ? chunk : Buffer.from(chunk, encoding).toString('utf8');
    output.push([stream, text]);
    if (flushTimer === undefined) flushTimer = setTimeout(flushOutput, FLUSH_MS).unref();
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
process.stdout.write = capture('stdout');
process.stderr.write = capture('stderr');
const path = require('node:path');
const fs = require('node:fs');
const [moduleName, exportName] = [workerData.handler.slice(0, workerData.handler.lastIndexOf('.')), workerData.handler.slice(workerData.handler.lastIndexOf('.') + 1)];
let handler;
let initError;
try {
  const base = path.join(workerData.codeDir, moduleName);
  const file = ['.js', '.cjs'].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) throw Object.assign(new Error('Cannot find module ' + moduleName + ' in the deployment package'), { name: 'Runtime.ImportModuleError' });
  const mod = require(file);
  handler = mod[exportName];
  if (typeof handler !== 'function') throw Object.assign(new Error(moduleName + '.' + exportName + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' });
} catch (e) {
  initError = e;
}
parentPort.postMessage({ ready: true, output: takeOutput() });
const describe = (e) => ({ errorType: (e && e.name) || 'Error', errorMessage: String((e && e.message) || e), trace: e && e.stack ? String(e.stack).split('\\n') : [] });
// The event arrives as JSON text, as Lambda's runtime API hands it over ("Next invocation":
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
parentPort.on('message', async ({ id, event, context }) => {
  if (initError) return parentPort.postMessage({ id, ok: false, error: describe(initError), output: takeOutput() });
  const deadline = Date.now() + context.timeoutMs;
  const ctx = { ...context, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  let answer;
  try {
    const result = await handler(JSON.parse(event), ctx);
    answer = { id, ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
  } catch (e) {
    answer = { id, ok: false, error: describe(e) };
  }
  answer.output = takeOutput();
  parentPort.postMessage(answer);
});
`;

/** What the worker posts: its output (stdout and stderr text, in order), with its ready signal or an invocation's outcome, or alone. */
type WorkerMessage = { readonly output?: readonly [OutputStream, string][] } & ({ readonly ready: true } | ({ readonly id: number } & InvocationOutcome) | {});

let invocationIds = 0;

// Lambda's init phase has a limit of its own; the function's timeout starts with the invocation.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
const INIT_LIMIT_MS = 10_000;

export class Sandbox {
  private worker?: Worker;
  /** Settles when the current worker has run the module's init (or failed to start). */
  private initialized: Promise<void> = Promise.resolve();
  private initDone = false;
  private pending?: { id: number; resolve: (o: InvocationOutcome) => void; timer: NodeJS.Timeout };
  /** True while an event is being handled: a sandbox takes one event at a time. */
  busy = false;

  constructor(private readonly options: SandboxOptions) {}

  /** Starts the worker (the init phase) ahead of the first event. */
  warm(): void {
    this.ensureWorker();
  }

  async invoke(event: unknown, context: { awsRequestId: string; timeoutMs: number; functionArn: string; memoryLimitInMB: string }): Promise<InvocationOutcome> {
    const worker = this.ensureWorker();
    const id = ++invocationIds;
    try {
      if (!this.initDone) {
        let limit: NodeJS.Timeout | undefined;
        const initTimer = new Promise<'timeout'>((resolve) => (limit = setTimeout(resolve, INIT_LIMIT_MS, 'timeout')));
        const outcome = await Promise.race([this.initialized, initTimer]);
        clearTimeout(limit);
        if (outcome === 'timeout') {
          this.discard();
          return { ok: false, error: { errorType: 'Sandbox.InitTimeout', errorMessage: `Init phase did not end within ${INIT_LIMIT_MS / 1000} seconds` } };
        }
        if (this.worker !== worker) return { ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited during init' } };
      }
      return await new Promise<InvocationOutcome>((resolve) => {
        // Lambda stops the function at its timeout and discards the environment; so do we.
        const timer = setTimeout(() => {
          this.options.log(`Task timed out after ${(context.timeoutMs / 1000).toFixed(2)} seconds (request ${context.awsRequestId})`);
          this.discard();
          resolve({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(context.timeoutMs / 1000).toFixed(2)} seconds` } });
        }, context.timeoutMs);
        this.pending = { id, resolve, timer };
        worker.postMessage({
          id,
          event: JSON.stringify(event),
          context: {
            awsRequestId: context.awsRequestId,
            invokedFunctionArn: context.functionArn,
            functionName: this.options.functionName,
            functionVersion: '$LATEST',
            memoryLimitInMB: context.memoryLimitInMB,
            logGroupName: `/aws/lambda/${this.options.functionName}`,
            logStreamName: 'local',
            timeoutMs: context.timeoutMs,
          },
        });
      });
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { codeDir: this.options.codeDir, handler: this.options.handler },
      env: { ...this.options.env },
      execArgv: ['--enable-source-maps'],
      stdout: true,
      stderr: true,
    });
    const output = new OutputLines(this.options.log);
    // The worker sends its output with its messages; anything written past process.stdout/stderr
    // (a stream the function took before the override) still comes through the stdio streams.
    for (const stream of [worker.stdout, worker.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => this.options.log(line));
    }
    this.initDone = false;
    let settle = () => {};
    this.initialized = new Promise<void>((resolve) => (settle = resolve));
    const initDone = () => {
      if (this.worker === worker) this.initDone = true;
      settle();
    };
    worker.on('message', (message: WorkerMessage) => {
      for (const [stream, text] of message.output ?? []) output.write(stream, text);
      if ('ready' in message) return initDone();
      if (!('id' in message)) return;
      if (!this.pending || this.pending.id !== message.id) return;
      const { resolve, timer } = this.pending;
      clearTimeout(timer);
      this.pending = undefined;
      resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
    });
    // A worker discarded at a timeout exits later: only the current worker may fail the pending event.
    worker.on('error', (error) => {
      initDone();
      if (this.worker !== worker) return;
      this.options.log(`sandbox crashed: ${error.message}`);
      this.worker = undefined;
      this.failPending({ errorType: 'Runtime.ExitError', errorMessage: error.message });
    });
    worker.on('exit', (code) => {
      output.end();
      initDone();
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failPending({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with code ${code}` });
    });
    this.worker = worker;
    return worker;
  }

  private failPending(error: InvocationError): void {
    if (!this.pending) return;
    const { resolve, timer } = this.pending;
    clearTimeout(timer);
    this.pending = undefined;
    resolve({ ok: false, error });
  }

  private discard(): void {
    this.pending = undefined;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }
}
