import * as fs from 'fs';
import * as path from 'path';
import { BatchedWriter, batchedWriter } from '../server/batched-writer';

/**
 * Each function's log lines, also kept in `.local/logs/<function>.log` (what CloudWatch Logs is on
 * AWS), so a second terminal or the smoke test can follow one function. Appended to across
 * restarts, as a log group keeps what was logged before: what a function logged just before
 * serve:local was killed is still there after it restarts. Lines are written at the end of the
 * event loop turn that logged them, synchronously: a local file's write is cheaper than a hop to
 * the thread pool, and nothing waits in memory longer than that turn.
 */
export class FunctionLogs {
  private readonly files = new Map<string, { readonly fd: number; readonly writer: BatchedWriter }>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(functionName: string, line: string): void {
    let file = this.files.get(functionName);
    if (!file) {
      const fd = fs.openSync(path.join(this.dir, `${functionName.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`), 'a');
      file = { fd, writer: batchedWriter((text) => fs.writeSync(fd, text)) };
      this.files.set(functionName, file);
    }
    file.writer.write(`${line}\n`);
  }

  close(): void {
    for (const { fd, writer } of this.files.values()) {
      writer.flush();
      fs.closeSync(fd);
    }
    this.files.clear();
  }
}
