import * as crypto from 'crypto';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, _Record } from '@aws-sdk/client-kinesis';
import { SendMessageCommand, SQSClient, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { FunctionRegistry } from '../lambda/functions';
import { Checkpoints } from './checkpoints';
import { deliverBatch } from './invoke-record';
import { MappingHealth } from './mapping-health';

/**
 * A Kinesis event source mapping, one poller per shard, in order: records are gathered until
 * BatchSize or the batching window, then delivered. A failing batch is bisected (when
 * BisectBatchOnFunctionError is on; splits do not count as retries), a reported partial failure
 * is retried from the lowest failed sequence number, and a batch is retried up to
 * MaximumRetryAttempts while its records are younger than MaximumRecordAgeInSeconds; then its
 * shard and sequence-number range go to the on-failure destination and the shard moves on.
 *
 * Listing shards, reading records and sending to the on-failure queue are the execution role's
 * calls (`asRole`), evaluated as on AWS (kinesis:ListShards, GetShardIterator, GetRecords,
 * kms:Decrypt on a customer managed key, sqs:SendMessage: mapping-health.ts); finding the
 * destination queue's URL is the local plane's own lookup, made as the emulator.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 * https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 */
export interface KinesisMappingConfig {
  readonly uuid: string;
  readonly streamArn: string;
  readonly functionArn: string;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  readonly reportBatchItemFailures: boolean;
  readonly bisectOnError: boolean;
  /** -1 is "until the record expires". */
  readonly maxRetryAttempts: number;
  /** -1 is "no limit". */
  readonly maxRecordAgeSeconds: number;
  readonly onFailureArn?: string;
  readonly region: string;
}

const POLL_INTERVAL_MS = 250;
const RETRY_DELAY_MS = 500;
// Bounds the work on one batch: splits and retries of a batch of at most 10000 records end well before this.
const MAX_ATTEMPTS_PER_BATCH = 50_000;

export class KinesisMapping {
  private running = true;
  private abandoned = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly config: KinesisMappingConfig,
    kinesis: KinesisClient,
    private readonly sqs: SQSClient,
    private readonly functions: FunctionRegistry,
    private readonly log: (line: string) => void,
    private readonly checkpoints: Checkpoints = new Checkpoints(),
    /** Clients signing as the function's execution role. @default the emulator's (`kinesis`, `sqs`) */
    private readonly asRole: () => Promise<{ readonly kinesis: KinesisClient; readonly sqs: SQSClient }> = async () => ({ kinesis, sqs }),
    readonly health = new MappingHealth({ uuid: config.uuid, eventSourceArn: config.streamArn, functionArn: config.functionArn }, log),
  ) {}

  /** Lists the shards (again every few seconds while the stream refuses the role), then polls each. */
  async start(): Promise<void> {
    const shards = await this.listShards();
    this.loops = shards ? shards.map((shard) => this.pollShard(shard)) : [this.startWhenAllowed()];
  }

  private async listShards(): Promise<string[] | undefined> {
    try {
      const { Shards } = await (await this.asRole()).kinesis.send(new ListShardsCommand({ StreamARN: this.config.streamArn }));
      this.health.allowed();
      return (Shards ?? []).map((s) => s.ShardId!);
    } catch (error) {
      if (!this.health.refused(error)) throw error;
      return undefined;
    }
  }

  private async startWhenAllowed(): Promise<void> {
    while (this.running) {
      await sleep(this.health.retryMs);
      if (!this.running) return;
      const shards = await this.listShards().catch((error: Error) => {
        this.log(`Kinesis mapping ${this.config.uuid}: ${error.message}`);
        return undefined;
      });
      if (shards) {
        await Promise.all(shards.map((shard) => this.pollShard(shard)));
        return;
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Stops without checkpointing what is in flight: a restart delivers those records again. */
  abandon(): void {
    this.running = false;
    this.abandoned = true;
  }

  private async pollShard(shardId: string): Promise<void> {
    const position = this.config.startingPosition === 'AT_TIMESTAMP' ? 'LATEST' : this.config.startingPosition;
    let iterator: string | undefined;
    let buffer: _Record[] = [];
    let bufferSince = 0;
    while (this.running) {
      try {
        const after = this.checkpoints.get(this.config.uuid, shardId);
        const reader = (await this.asRole()).kinesis;
        iterator ??= (
          await reader.send(
            new GetShardIteratorCommand({
              StreamARN: this.config.streamArn,
              ShardId: shardId,
              ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after } : { ShardIteratorType: position }),
            }),
          )
        ).ShardIterator;
        const page = await reader.send(new GetRecordsCommand({ StreamARN: this.config.streamArn, ShardIterator: iterator, Limit: this.config.batchSize }));
        this.health.allowed();
        iterator = page.NextShardIterator;
        if ((page.Records ?? []).length > 0) {
          if (buffer.length === 0) bufferSince = Date.now();
          buffer.push(...page.Records!);
        }
        const windowOver = Date.now() - bufferSince >= this.config.batchingWindowSeconds * 1000;
        while (buffer.length > 0 && (buffer.length >= this.config.batchSize || windowOver)) {
          const batch = buffer.slice(0, this.config.batchSize);
          buffer = buffer.slice(batch.length);
          await this.deliver(shardId, batch);
          if (this.abandoned) return;
          this.checkpoints.set(this.config.uuid, shardId, batch[batch.length - 1].SequenceNumber!);
        }
        if (!iterator) break;
      } catch (error) {
        if (!this.running) break;
        // The next iterator starts right after the checkpoint: records read since are read again, so none is held twice.
        iterator = undefined;
        buffer = [];
        if (this.health.refused(error)) {
          await sleep(this.health.retryMs);
          continue;
        }
        this.log(`Kinesis mapping ${this.config.uuid} ${shardId}: ${(error as Error).message}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  private async deliver(shardId: string, records: _Record[]): Promise<void> {
    const work: { records: _Record[]; retries: number }[] = [{ records, retries: 0 }];
    for (let attempts = 0; work.length > 0 && attempts < MAX_ATTEMPTS_PER_BATCH && this.running; attempts++) {
      const item = work.shift()!;
      const tooOld = this.config.maxRecordAgeSeconds >= 0 && item.records.some((r) => Date.now() - (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) > this.config.maxRecordAgeSeconds * 1000);
      if (tooOld) {
        await this.sendToOnFailure(shardId, item.records, 'RecordAgeExceeded', item.retries, 'Unhandled');
        continue;
      }
      const seqs = item.records.map((r) => r.SequenceNumber!);
      const outcome = await deliverBatch(this.functions, this.config.functionArn, this.event(shardId, item.records), seqs, this.config.reportBatchItemFailures);
      this.health.processed();
      if (outcome.kind === 'success') continue;
      // Partial failure: everything before the lowest failed record is checkpointed.
      const from = outcome.kind === 'partial' ? seqs.indexOf(outcome.failed[0]) : 0;
      const failing = item.records.slice(Math.max(0, from));
      this.log(`Kinesis mapping ${this.config.uuid} ${shardId}: ${failing.length} record(s) failed (${outcome.kind === 'error' ? outcome.functionError : 'reported'}), attempt ${item.retries + 1}`);
      if (this.config.bisectOnError && failing.length > 1) {
        const half = Math.ceil(failing.length / 2);
        work.unshift({ records: failing.slice(0, half), retries: item.retries }, { records: failing.slice(half), retries: item.retries });
        continue;
      }
      if (this.config.maxRetryAttempts < 0 || item.retries < this.config.maxRetryAttempts) {
        await sleep(RETRY_DELAY_MS);
        work.unshift({ records: failing, retries: item.retries + 1 });
        continue;
      }
      await this.sendToOnFailure(shardId, failing, 'RetryAttemptsExhausted', item.retries + 1, outcome.kind === 'error' ? outcome.functionError : 'Handled');
    }
  }

  /** The Kinesis event, as in "Example Kinesis event". */
  private event(shardId: string, records: _Record[]): unknown {
    return {
      Records: records.map((r) => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.PartitionKey,
          sequenceNumber: r.SequenceNumber,
          data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
          approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${r.SequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:aws:iam::${this.config.functionArn.split(':')[4]}:role/local-event-source-mapping`,
        awsRegion: this.config.region,
        eventSourceARN: this.config.streamArn,
      })),
    };
  }

  private async sendToOnFailure(shardId: string, records: _Record[], condition: string, invokeCount: number, functionError: string): Promise<void> {
    const first = records[0];
    const last = records[records.length - 1];
    this.log(`Kinesis mapping ${this.config.uuid} ${shardId}: ${records.length} record(s) ${first.SequenceNumber}..${last.SequenceNumber} given up (${condition})`);
    if (!this.config.onFailureArn) return;
    const record = {
      requestContext: { requestId: crypto.randomUUID(), functionArn: this.config.functionArn, condition, approximateInvokeCount: invokeCount },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.SequenceNumber,
        endSequenceNumber: last.SequenceNumber,
        approximateArrivalOfFirstRecord: first.ApproximateArrivalTimestamp?.toISOString(),
        approximateArrivalOfLastRecord: last.ApproximateArrivalTimestamp?.toISOString(),
        batchSize: records.length,
        streamArn: this.config.streamArn,
      },
    };
    const queueName = this.config.onFailureArn.split(':').pop()!;
    const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    await (await this.asRole()).sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(record) }));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
