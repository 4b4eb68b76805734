import { Construct } from 'constructs';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { throwIfProblems } from './errors';
import { IGrantable, sidPart } from './grants';

export interface EncryptedStreamProps {
  /** Physical stream name. */
  readonly name: string;
  /** Provisioned shards. @default 1 */
  readonly shardCount?: number;
  /** Hours records are kept (24-8760). @default 24 */
  readonly retentionHours?: number;
}

/** A Kinesis data stream encrypted at rest with KMS (the AWS-managed aws/kinesis key). */
export class EncryptedStream extends Construct {
  readonly stream: KinesisStream;
  /** Hours records are kept, as deployed. */
  readonly retentionHours: number;

  constructor(scope: Construct, id: string, props: EncryptedStreamProps) {
    super(scope, id);
    const retention = props.retentionHours ?? 24;
    throwIfProblems(this, retention < 24 || retention > 8760 ? [`retentionHours ${retention} must be from 24 to 8760`] : []);
    this.retentionHours = retention;
    this.stream = new KinesisStream(this, 'Stream', {
      name: props.name,
      // Provisioned with one shard is the cheapest always-on choice for these sample loads;
      // on-demand costs more at idle. Raise shardCount for real traffic.
      streamModeDetails: { streamMode: 'PROVISIONED' },
      shardCount: props.shardCount ?? 1,
      retentionPeriod: retention,
      encryptionType: 'KMS',
      kmsKeyId: 'alias/aws/kinesis',
    });
  }

  /**
   * What a Lambda event source mapping polls on the consumer's behalf. SubscribeToShard is left out:
   * it is only for enhanced fan-out consumers. The stream's key is the AWS-managed aws/kinesis key,
   * whose key policy already lets Kinesis decrypt for any principal of the account allowed to read
   * the stream, so no kms:Decrypt grant is needed.
   */
  grantRead(grantee: IGrantable): void {
    const actions = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'];
    grantee.grantPrincipal.addStatements({ sid: `Read${sidPart(this.node.id)}`, actions, resources: [this.arn] });
  }

  /** Lets `grantee` run exactly these actions on this stream, e.g. `stream.grant(role, 'kinesis:PutRecord')`. */
  grant(grantee: IGrantable, ...actions: `kinesis:${string}`[]): void {
    grantee.grantPrincipal.addStatements({ sid: `${actions.map(sidPart).join('')}${sidPart(this.node.id)}`, actions, resources: [this.arn] });
  }

  get name(): string {
    return this.stream.name;
  }

  get arn(): string {
    return this.stream.arn;
  }
}
