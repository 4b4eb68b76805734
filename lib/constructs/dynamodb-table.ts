import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IGrantable, sidPart } from './grants';
import { graph, IMonitorable, metricAlarm, MonitoredSection, MonitoringContext } from '../monitoring';

export interface DynamoTableProps {
  /** Physical table name. */
  readonly name: string;
  /** String partition key attribute. */
  readonly partitionKey: string;
  /** Refuse `terraform destroy` of the table (set in production). @default false */
  readonly deletionProtection?: boolean;
  /** Emit item-level changes (needed for a Kinesis streaming destination or DynamoDB Streams). @default none */
  readonly streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  /** Attribute holding an expiry epoch for TTL. @default no TTL */
  readonly timeToLiveAttribute?: string;
}

/**
 * A DynamoDB table with the defaults we want everywhere: on-demand capacity (no idle cost, no
 * throttling to tune), point-in-time recovery, server-side encryption with KMS, and deletion
 * protection where asked.
 */
export class DynamoTable extends Construct implements IMonitorable {
  readonly table: DynamodbTable;
  private monitored?: MonitoredSection;

  constructor(scope: Construct, id: string, props: DynamoTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'Table', {
      name: props.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: props.partitionKey,
      attribute: [{ name: props.partitionKey, type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      // KMS with the AWS-managed key (aws/dynamodb): encrypted with an auditable key at no key cost.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? false,
      streamEnabled: props.streamViewType !== undefined ? true : undefined,
      streamViewType: props.streamViewType,
      ttl: props.timeToLiveAttribute ? { enabled: true, attributeName: props.timeToLiveAttribute } : undefined,
    });
  }

  /**
   * Lets `grantee` run exactly these item actions on this table, e.g.
   * `table.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem')`. The AWS-managed key needs no KMS grant.
   */
  grant(grantee: IGrantable, ...actions: `dynamodb:${string}`[]): void {
    grantee.grantPrincipal.addStatements({
      sid: `${actions.map(sidPart).join('')}${sidPart(this.node.id)}`,
      actions,
      resources: [this.arn],
    });
  }

  get name(): string {
    return this.table.name;
  }

  /**
   * Throttled reads and writes, each as an alarm (on-demand tables still throttle past the
   * per-partition and account limits); consumed capacity as a graph. The throttle-event metrics
   * need only the table name, where ThrottledRequests would need one alarm per operation.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
   */
  monitor(context: MonitoringContext): MonitoredSection {
    if (this.monitored) return this.monitored;
    const t = context.thresholds;
    const dimensions = { TableName: this.name };
    const dynamo = { namespace: 'AWS/DynamoDB', dimensions } as const;
    const alarms = (['Read', 'Write'] as const).map((kind) =>
      metricAlarm(this, `${kind}ThrottlesAlarm`, {
        ...dynamo,
        alarmName: `${this.name}-${kind.toLowerCase()}-throttles`,
        description: `${kind}s to ${this.name} were throttled ${t.dynamodbThrottles} or more times in 5 minutes. First check: a hot partition key (CloudWatch Contributor Insights), then the account's on-demand throughput limits.`,
        metricName: `${kind}ThrottleEvents`,
        stat: 'Sum',
        periodSeconds: 300,
        evaluationPeriods: 1,
        threshold: t.dynamodbThrottles,
        comparison: 'GreaterThanOrEqualToThreshold',
        // Emitted only when a request is throttled, and an alarm on an AWS/DynamoDB metric keeps its
        // state while data is missing whatever TreatMissingData says: FILL gives every quiet period
        // a 0, so the alarm clears (and sends OK) once throttling stops. notBreaching stays as the
        // documented intent should the exception ever be lifted.
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (TreatMissingData)
        fillMissingWith: 0,
        treatMissingData: 'notBreaching',
      }),
    );
    const line = (metricName: string, label: string) => ({ ...dynamo, metricName, stat: 'Sum', label });
    this.monitored = {
      title: `DynamoDB table ${this.name}`,
      alarms,
      widgets: [
        graph(context, 'Consumed capacity units', [line('ConsumedReadCapacityUnits', 'read'), line('ConsumedWriteCapacityUnits', 'write')]),
        graph(context, 'Throttle events', [line('ReadThrottleEvents', 'read'), line('WriteThrottleEvents', 'write')], {
          label: 'alarm',
          value: t.dynamodbThrottles,
        }),
      ],
    };
    return this.monitored;
  }

  get arn(): string {
    return this.table.arn;
  }
}
