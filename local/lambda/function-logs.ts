import * as fs from 'fs';
import * as path from 'path';

/**
 * Each function's log lines, also kept in `.local/logs/<function>.log` (what CloudWatch Logs is on
 * AWS), so a second terminal or the smoke test can follow one function. Appended to across
 * restarts, as a log group keeps what was logged before: what a function logged just before
 * serve:local was killed is still there after it restarts.
 */
export class FunctionLogs {
  private readonly streams = new Map<string, fs.WriteStream>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(functionName: string, line: string): void {
    let stream = this.streams.get(functionName);
    if (!stream) {
      stream = fs.createWriteStream(path.join(this.dir, `${functionName.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`), { flags: 'a' });
      this.streams.set(functionName, stream);
    }
    stream.write(`${line}\n`);
  }

  close(): void {
    for (const stream of this.streams.values()) stream.end();
  }
}
