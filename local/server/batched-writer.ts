/**
 * Text written during one turn of the event loop, handed to `write` in one call at its end: under
 * load the request log and the function logs take a line or three per request, and one system call
 * per line (or a thread-pool round trip per file write) cost the gateway more than the line is worth.
 */
export interface BatchedWriter {
  write(text: string): void;
  /** Hands on what is waiting now (before exit, or before the destination is closed). */
  flush(): void;
}

export function batchedWriter(write: (text: string) => void): BatchedWriter {
  let waiting: string[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (waiting.length === 0) return;
    const text = waiting.join('');
    waiting = [];
    write(text);
  };
  return {
    write(text) {
      waiting.push(text);
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}
