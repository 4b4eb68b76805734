import * as fs from 'fs';
import * as path from 'path';

/**
 * Each function's log lines, also kept in `.local/logs/<function>.log` (what CloudWatch Logs is on
 * AWS), so a second terminal or the smoke test can follow one function. Truncated at start.
 */
export class FunctionLogs {
  private readonly streams = new Map<string, fs.WriteStream>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(functionName: string, line: string): void {
    let stream = this.streams.get(functionName);
    if (!stream) {
      stream = fs.createWriteStream(path.join(this.dir, `${functionName.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`), { flags: 'w' });
      this.streams.set(functionName, stream);
    }
    stream.write(`${line}\n`);
  }

  close(): void {
    for (const stream of this.streams.values()) stream.end();
  }
}
