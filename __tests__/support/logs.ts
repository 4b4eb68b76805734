/**
 * Captures what code under test writes to stdout and stderr. Powertools' Logger writes DEBUG and
 * INFO lines to stdout but WARN and ERROR to stderr, so a capture that watched stdout alone would
 * miss exactly the lines most likely to carry an error's context.
 */

export type LogStream = 'stdout' | 'stderr';

/** One structured log line and the stream it went to. */
export interface LogEntry extends Record<string, unknown> {
  readonly stream: LogStream;
}

export interface LogCapture {
  /** Everything written to either stream since the last clear(), in order. */
  text(): string;
  /** The JSON lines written to either stream, each tagged with its stream; other output is skipped. */
  entries(): LogEntry[];
  clear(): void;
  /** Puts the streams' own write functions back; call it in afterAll. */
  restore(): void;
}

/** Starts capturing both streams; nothing reaches the terminal until restore(). */
export function captureLogs(): LogCapture {
  const writes: { stream: LogStream; text: string }[] = [];
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      writes.push({ stream, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
      // Honour a write callback, which Node passes as the last argument.
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    }) as typeof process.stdout.write;
  }
  return {
    text: () => writes.map((w) => w.text).join(''),
    entries: () =>
      writes.flatMap(({ stream, text }) =>
        text
          .split('\n')
          .filter((line) => line.trim().startsWith('{'))
          .map((line) => ({ ...(JSON.parse(line) as Record<string, unknown>), stream })),
      ),
    clear: () => {
      writes.length = 0;
    },
    restore: () => {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
    },
  };
}

/**
 * Captures both streams for the whole suite (from before its own `beforeAll` hooks, so a handler's
 * module-scope logging is seen too) and restores them after it.
 */
export function useLogCapture(): LogCapture {
  let capture: LogCapture | undefined;
  beforeAll(() => {
    capture = captureLogs();
  });
  afterAll(() => capture?.restore());
  const current = (): LogCapture => {
    if (!capture) throw new Error('Logs are not being captured: call useLogCapture() at the top of the suite.');
    return capture;
  };
  return {
    text: () => current().text(),
    entries: () => current().entries(),
    clear: () => current().clear(),
    restore: () => current().restore(),
  };
}
