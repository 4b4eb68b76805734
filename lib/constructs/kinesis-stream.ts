import { Construct } from 'constructs';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { throwIfProblems } from './errors';
import { IGrantable, sidPart } from './grants';
import { graph, IMonitorable, metricAlarm, MonitoredSection, MonitoringContext } from '../monitoring';

export interface EncryptedStreamProps {
  /** Physical stream name. */
  readonly name: string;
  /** Provisioned shards. @default 1 */
  readonly shardCount?: number;
  /** Hours records are kept (24-8760). @default 24 */
  readonly retentionHours?: number;
}

/** Throttled records in 5 minutes that raise a stream's throttle alarm: any refusal is a 429 someone got. */
const KINESIS_THROTTLES = 1;

/** A Kinesis data stream encrypted at rest with KMS (the AWS-managed aws/kinesis key). */
export class EncryptedStream extends Construct implements IMonitorable {
  readonly stream: KinesisStream;
  /** Hours records are kept, as deployed. */
  readonly retentionHours: number;
  private monitored?: MonitoredSection;
  private readThrottlingAlarmed = false;
  /**
   * The literal name, for names derived from it: an alarm named after a reference would have an ARN
   * unknown until apply, which the shipped deployer policy (scoped to `sp-<env>-*`) cannot be checked against.
   */
  private readonly physicalName: string;

  constructor(scope: Construct, id: string, props: EncryptedStreamProps) {
    super(scope, id);
    const retention = props.retentionHours ?? 24;
    throwIfProblems(this, retention < 24 || retention > 8760 ? [`retentionHours ${retention} must be from 24 to 8760`] : []);
    this.retentionHours = retention;
    this.physicalName = props.name;
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

  /**
   * Also alarm on reads refused for throughput (for a stream clients read through an API, where a
   * throttled read is a 429 to the client). Call before the stack's monitoring is added.
   */
  alarmOnReadThrottling(): this {
    if (this.monitored) throw new Error(`EncryptedStream ${this.node.path}: alarmOnReadThrottling() must be called before monitor().`);
    this.readThrottlingAlarmed = true;
    return this;
  }

  /**
   * Records refused for throughput, as alarms (writes always; reads where asked); records in and
   * out as graphs. Kinesis answers a throttled call with ProvisionedThroughputExceededException,
   * which the APIs in front of it answer 429: that is a 4xx, so the APIs' 5xx alarm never sees it.
   * How far behind a reader is belongs to its consumer (StreamConsumer).
   * https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html
   */
  monitor(context: MonitoringContext): MonitoredSection {
    if (this.monitored) return this.monitored;
    const dimensions = { StreamName: this.name };
    const line = (metricName: string, label: string) => ({ namespace: 'AWS/Kinesis', metricName, dimensions, stat: 'Sum', label });
    const kinds = this.readThrottlingAlarmed ? (['Write', 'Read'] as const) : (['Write'] as const);
    const alarms = kinds.map((kind) =>
      metricAlarm(this, `${kind}ThrottlingAlarm`, {
        ...line(`${kind}ProvisionedThroughputExceeded`, ''),
        alarmName: `${this.physicalName}-${kind.toLowerCase()}-throttles`,
        description: `${kind}s to ${this.physicalName} were refused for throughput ${KINESIS_THROTTLES} or more times in 5 minutes (an API in front of the stream answered 429; a DynamoDB table streaming into it fell behind). First check: IncomingRecords/IncomingBytes against the shard limits (1 MB/s or 1000 records/s in, 2 MB/s and 5 reads/s out, per shard), a hot partition key, then the shard count.`,
        periodSeconds: 300,
        evaluationPeriods: 1,
        threshold: KINESIS_THROTTLES,
        comparison: 'GreaterThanOrEqualToThreshold',
        // Whether Kinesis publishes a 0 or nothing for a quiet period is not documented per metric;
        // FILL makes both the same, so the alarm clears once throttling stops either way.
        fillMissingWith: 0,
        treatMissingData: 'notBreaching',
      }),
    );
    this.monitored = {
      title: `Kinesis stream ${this.name}`,
      alarms,
      widgets: [
        graph(context, 'Records', [line('IncomingRecords', 'in'), line('GetRecords.Records', 'read')]),
        graph(context, 'Throughput exceeded', [line('WriteProvisionedThroughputExceeded', 'writes'), line('ReadProvisionedThroughputExceeded', 'reads')], {
          label: 'alarm',
          value: KINESIS_THROTTLES,
        }),
      ],
    };
    return this.monitored;
  }

  get arn(): string {
    return this.stream.arn;
  }
}
