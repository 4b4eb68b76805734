import * as fs from 'fs';

/**
 * Where each Kinesis mapping has got to, per shard, kept in a file across restarts of the data
 * plane, as Lambda keeps a mapping's position: a restart resumes after the last delivered record
 * instead of re-reading the stream from its starting position. A missing or unreadable file means
 * "start from the mapping's starting position".
 */
export class Checkpoints {
  private readonly positions: Record<string, Record<string, string>>;

  constructor(private readonly file?: string) {
    let loaded: Record<string, Record<string, string>> = {};
    try {
      if (file && fs.existsSync(file)) loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
    } catch {
      loaded = {};
    }
    this.positions = loaded;
  }

  get(mapping: string, shardId: string): string | undefined {
    return this.positions[mapping]?.[shardId];
  }

  set(mapping: string, shardId: string, sequenceNumber: string): void {
    (this.positions[mapping] ??= {})[shardId] = sequenceNumber;
    if (this.file) fs.writeFileSync(this.file, `${JSON.stringify(this.positions, null, 2)}\n`);
  }
}
