/**
 * A sandbox's stdout and stderr text, cut into lines as `readline` cuts a stream (at `\n`, `\r\n`
 * or a lone `\r`); a stream's unfinished last line waits for its next text, or for `end()`.
 */
export type OutputStream = 'stdout' | 'stderr';

const LINE_END = /\r\n|\n|\r(?!$)/;

export class OutputLines {
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };

  constructor(private readonly line: (text: string) => void) {}

  write(stream: OutputStream, text: string): void {
    const parts = (this.partial[stream] + text).split(LINE_END);
    this.partial[stream] = parts.pop()!;
    for (const part of parts) this.line(part);
  }

  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      // A `\r` kept at the end (it may have been the first half of `\r\n`) ends its line now.
      const rest = this.partial[stream].replace(/\r$/, '');
      this.partial[stream] = '';
      if (rest !== '') this.line(rest);
    }
  }
}
