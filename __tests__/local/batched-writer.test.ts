import { batchedWriter } from '../../local/server/batched-writer';

describe('batched writer (the gateway and function logs)', () => {
  const nextTurn = () => new Promise((r) => setImmediate(r));

  it('hands on what one event loop turn wrote in one call, in order', async () => {
    const calls: string[] = [];
    const writer = batchedWriter((t) => calls.push(t));
    writer.write('a\n');
    writer.write('b\n');
    expect(calls).toEqual([]);
    await nextTurn();
    expect(calls).toEqual(['a\nb\n']);
    writer.write('c\n');
    await nextTurn();
    expect(calls).toEqual(['a\nb\n', 'c\n']);
  });

  it('flush() hands on at once, and the turn then has nothing left to write', async () => {
    const calls: string[] = [];
    const writer = batchedWriter((t) => calls.push(t));
    writer.write('x');
    writer.flush();
    expect(calls).toEqual(['x']);
    await nextTurn();
    expect(calls).toEqual(['x']);
  });
});
