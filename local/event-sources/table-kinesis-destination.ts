import * as crypto from 'crypto';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, _Record } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { LOCAL_DESTINATION_TAG } from '../../lib/constructs/table-kinesis-destination';
import { Checkpoints } from './checkpoints';

/**
 * Kinesis Data Streams for DynamoDB, which moto lacks (no EnableKinesisStreamingDestination): for
 * every table deployed with the local destination tag, the table's DynamoDB stream is read and
 * each change is put on the named Kinesis stream in the record format AWS documents for it
 * (`awsRegion, eventID, eventName, userIdentity, recordFormat: "application/json", tableName,
 * dynamodb: {ApproximateCreationDateTime (ms), Keys, NewImage, OldImage, SizeBytes},
 * eventSource: "aws:dynamodb"`).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds_gettingstarted.html
 */
export interface TableDestination {
  readonly tableName: string;
  readonly streamArn: string;
}

const POLL_INTERVAL_MS = 200;

export async function findLocalDestinations(dynamodb: DynamoDBClient): Promise<TableDestination[]> {
  const destinations: TableDestination[] = [];
  let start: string | undefined;
  for (let page = 0; page < 100; page++) {
    const tables = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of tables.TableNames ?? []) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      const tags = await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn! }));
      const target = (tags.Tags ?? []).find((t) => t.Key === LOCAL_DESTINATION_TAG)?.Value;
      if (target) destinations.push({ tableName: name, streamArn: target });
    }
    start = tables.LastEvaluatedTableName;
    if (!start) break;
  }
  return destinations;
}

export class TableKinesisForwarder {
  private running = true;
  private abandoned = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly destination: TableDestination,
    private readonly clients: { dynamodb: DynamoDBClient; streams: DynamoDBStreamsClient; kinesis: KinesisClient },
    private readonly region: string,
    private readonly log: (line: string) => void,
    private readonly checkpoints: Checkpoints = new Checkpoints(),
  ) {}

  /**
   * Resumes after the last forwarded change (kept in the checkpoints across restarts, so a change
   * made while serve:local was stopped or killed is forwarded when it starts again); the first
   * time, from the stream's current end. A change forwarded but not yet checkpointed when
   * serve:local was killed is forwarded again: AWS documents that this destination may also
   * deliver a change record more than once ("Kinesis Data Streams for DynamoDB ... duplicate records").
   */
  async start(): Promise<void> {
    const { Table } = await this.clients.dynamodb.send(new DescribeTableCommand({ TableName: this.destination.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`Table ${this.destination.tableName} has no DynamoDB stream; run \`npm run deploy:local\` again to deploy the local destination.`);
    const { StreamDescription } = await this.clients.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    this.loops = (StreamDescription?.Shards ?? []).map((shard) => this.forwardShard(streamArn, shard.ShardId!));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  abandon(): void {
    this.running = false;
    this.abandoned = true;
  }

  private get checkpointKey(): string {
    return `table:${this.destination.tableName}`;
  }

  private async forwardShard(streamArn: string, shardId: string): Promise<void> {
    let iterator: string | undefined;
    while (this.running) {
      try {
        const after = this.checkpoints.get(this.checkpointKey, shardId) ?? (await this.markEnd(streamArn, shardId));
        iterator ??= (
          await this.clients.streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shardId,
              // '' is "the stream was empty at the first start": everything from its beginning is new.
              ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
            }),
          )
        ).ShardIterator;
        const page = await this.clients.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = page.NextShardIterator;
        for (const record of page.Records ?? []) {
          await this.forward(record);
          if (this.abandoned) return;
          this.checkpoints.set(this.checkpointKey, shardId, record.dynamodb!.SequenceNumber!);
        }
        if (!iterator) break;
      } catch (error) {
        if (!this.running) break;
        this.log(`Kinesis destination of ${this.destination.tableName}: ${(error as Error).message}`);
        iterator = undefined;
      }
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    }
  }

  /**
   * The first start begins at the stream's end: checkpointing its last change at once means a
   * change made after this start is forwarded even if serve:local is killed before it forwards one.
   */
  private async markEnd(streamArn: string, shardId: string): Promise<string> {
    let iterator = (await this.clients.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    let last: string | undefined;
    for (let page = 0; iterator && page < 10_000; page++) {
      const { Records, NextShardIterator } = await this.clients.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if (!Records?.length) break;
      last = Records[Records.length - 1].dynamodb?.SequenceNumber ?? last;
      iterator = NextShardIterator;
    }
    this.checkpoints.set(this.checkpointKey, shardId, last ?? '');
    return last ?? '';
  }

  private async forward(record: _Record): Promise<void> {
    const change = toKinesisChangeRecord(record, this.destination.tableName, this.region);
    const keys = JSON.stringify(record.dynamodb?.Keys ?? {});
    await this.clients.kinesis.send(
      new PutRecordCommand({
        StreamARN: this.destination.streamArn,
        // AWS does not document the partition key it uses; one derived from the item key keeps each item's changes in order.
        PartitionKey: crypto.createHash('md5').update(keys).digest('hex'),
        Data: Buffer.from(JSON.stringify(change), 'utf8'),
      }),
    );
  }
}

/** One DynamoDB Streams record in the Kinesis Data Streams for DynamoDB format. */
export function toKinesisChangeRecord(record: _Record, tableName: string, region: string): Record<string, unknown> {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime instanceof Date ? d.ApproximateCreationDateTime.getTime() : Date.now();
  const dynamodb: Record<string, unknown> = { ApproximateCreationDateTime: created, Keys: d.Keys ?? {} };
  if (d.NewImage) dynamodb.NewImage = d.NewImage;
  if (d.OldImage) dynamodb.OldImage = d.OldImage;
  dynamodb.SizeBytes = d.SizeBytes ?? Buffer.byteLength(JSON.stringify({ Keys: d.Keys, NewImage: d.NewImage, OldImage: d.OldImage }));
  return {
    awsRegion: region,
    eventID: crypto.randomUUID(),
    eventName: record.eventName,
    userIdentity: record.userIdentity ? { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } : null,
    recordFormat: 'application/json',
    tableName,
    dynamodb,
    eventSource: 'aws:dynamodb',
  };
}
