import * as fs from 'fs';
import { formatTokenStacksUnmapped } from '../../lib/token-stacks';

/** Jest's own source-map support is in place here, as ts-node's is under `cdktf synth`. */
describe('formatTokenStacksUnmapped', () => {
  const original = Error.prepareStackTrace;
  afterEach(() => {
    Error.prepareStackTrace = original;
  });

  it("formats a plain object's captured stack as V8 does, without calling the source-map formatter", () => {
    let mappedCalls = 0;
    Error.prepareStackTrace = () => {
      mappedCalls++;
      return 'mapped';
    };
    formatTokenStacksUnmapped();
    const capture = { stack: '' };
    Error.captureStackTrace(capture);
    expect(capture.stack.split('\n')[0]).toBe('Error');
    expect(capture.stack.split('\n')[1]).toMatch(/^ {4}at .*token-stacks\.test\.ts:\d+:\d+/);
    expect(mappedCalls).toBe(0);
    expect(new Error('real').stack).toBe('mapped');
    expect(mappedCalls).toBe(1);
  });

  it('wraps once however often it is called', () => {
    formatTokenStacksUnmapped();
    const once = Error.prepareStackTrace;
    formatTokenStacksUnmapped();
    expect(Error.prepareStackTrace).toBe(once);
  });

  it('keeps TypeScript line numbers in real errors', () => {
    formatTokenStacksUnmapped();
    const line = Number(/token-stacks\.test\.ts:(\d+)/.exec(new Error('here').stack ?? '')?.[1]);
    const source = fs.readFileSync(__filename, 'utf8').split('\n');
    expect(source[line - 1]).toContain("new Error('here')");
  });
});
