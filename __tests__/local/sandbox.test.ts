import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Sandbox } from '../../local/lambda/sandbox';

// AWS: "Understanding the Lambda execution environment lifecycle" (init once, reuse, timeout)
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
describe('Lambda sandbox (worker per warm environment)', () => {
  let dir: string;
  const sandboxes: Sandbox[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-sandbox-'));
    fs.writeFileSync(
      path.join(dir, 'index.js'),
      `let inits = (globalThis.inits ?? 0) + 1; globalThis.inits = inits;
       let calls = 0;
       exports.handler = async (event, context) => {
         calls += 1;
         if (event.sleep) await new Promise((r) => setTimeout(r, event.sleep));
         if (event.fail) throw Object.assign(new Error('boom'), { name: 'BoomError' });
         if (event.later) setTimeout(() => console.log('after the response'), 5);
         if (event.logThenSleep) {
           console.log('before the timeout');
           await new Promise((r) => setTimeout(r, event.logThenSleep));
         }
         if ('dropped' in event) return { dropped: 'present' };
         console.log('handled', calls);
         return { calls, inits, table: process.env.TABLE_NAME, remaining: context.getRemainingTimeInMillis() > 0, fn: context.functionName };
       };`,
    );
  });
  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const context = (timeoutMs = 2000) => ({ awsRequestId: 'r', timeoutMs, functionArn: 'arn:aws:lambda:us-east-1:1:function:f', memoryLimitInMB: '128' });
  const make = (lines: string[]) => {
    const s = new Sandbox({ functionName: 'f', codeDir: dir, handler: 'index.handler', env: { TABLE_NAME: 't' }, log: (l) => lines.push(l) });
    sandboxes.push(s);
    return s;
  };

  it('loads the module once and reuses it, with the function environment and context', async () => {
    const lines: string[] = [];
    const sandbox = make(lines);
    expect(await sandbox.invoke({}, context())).toEqual({ ok: true, result: { calls: 1, inits: 1, table: 't', remaining: true, fn: 'f' } });
    expect(await sandbox.invoke({}, context())).toMatchObject({ ok: true, result: { calls: 2, inits: 1 } });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).toContain('handled 2');
  });

  it('logs what the function wrote before its invocation settles, and what it writes after it soon', async () => {
    const lines: string[] = [];
    const sandbox = make(lines);
    await sandbox.invoke({ later: true }, context());
    expect(lines).toEqual(['handled 1']);
    await new Promise((r) => setTimeout(r, 200));
    expect(lines).toEqual(['handled 1', 'after the response']);
  });

  it('keeps what a timed-out invocation wrote before its timeout', async () => {
    const lines: string[] = [];
    const outcome = await make(lines).invoke({ logThenSleep: 5000 }, context(300));
    expect(outcome).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect(lines[0]).toBe('before the timeout');
  });

  // Lambda hands the event over as JSON (Runtime API "next" invocation), so a key whose value is undefined is not there.
  // https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html ("Next invocation": the payload is a JSON document)
  it('passes the event as JSON text: a key whose value is undefined does not reach the handler', async () => {
    expect(await make([]).invoke({ dropped: undefined }, context())).toMatchObject({ ok: true, result: { calls: 1 } });
  });

  it('reports a thrown error with its type', async () => {
    expect(await make([]).invoke({ fail: true }, context())).toMatchObject({ ok: false, error: { errorType: 'BoomError', errorMessage: 'boom' } });
  });

  it('stops an invocation at the timeout and starts a fresh environment for the next one', async () => {
    const sandbox = make([]);
    await sandbox.invoke({}, context());
    expect(await sandbox.invoke({ sleep: 5000 }, context(200))).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect(await sandbox.invoke({}, context())).toMatchObject({ ok: true, result: { calls: 1 } });
  });

  it('starts the function timeout after the init phase, which has a limit of its own', async () => {
    // A module whose init (top-level code) blocks for longer than the function's timeout.
    const slowDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-sandbox-slow-'));
    fs.writeFileSync(path.join(slowDir, 'index.js'), 'const until = Date.now() + 600; while (Date.now() < until) {}\nexports.handler = async () => "ok";');
    const sandbox = new Sandbox({ functionName: 'slow', codeDir: slowDir, handler: 'index.handler', env: {}, log: () => undefined });
    sandboxes.push(sandbox);
    expect(await sandbox.invoke({}, context(300))).toEqual({ ok: true, result: 'ok' });
    fs.rmSync(slowDir, { recursive: true, force: true });
  });
});
