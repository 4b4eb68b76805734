import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { throwIfProblems } from './errors';
import { IGrantable, sidPart } from './grants';

const DAY = 24 * 60 * 60;

export interface MessageQueueProps {
  /** Physical queue name; the dead-letter queue gets `-dlq` appended. */
  readonly name: string;
  /** Seconds a received message stays hidden; at least 6x the consumer's timeout. @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default 4 days */
  readonly retentionSeconds?: number;
  /**
   * Give the queue a dead-letter queue that takes a message after this many failed receives.
   * @default no dead-letter queue (use for queues that are themselves a failure destination)
   */
  readonly maxReceiveCount?: number;
  /** Retention of the dead-letter queue; longer than the source's so nothing expires first. @default 14 days */
  readonly deadLetterRetentionSeconds?: number;
  /** Alarm when the queue that holds failures (the DLQ, or this queue without one) has any message. @default true */
  readonly alarmOnFailures?: boolean;
  /** SNS topics or other alarm actions. @default none */
  readonly alarmActions?: readonly string[];
}

/**
 * An SQS queue, encrypted at rest (SSE-SQS), optionally with a dead-letter queue and an alarm on
 * whichever queue holds failed messages, so a failure is never silent.
 */
export class MessageQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue?: SqsQueue;
  /** The alarm on failed messages, if enabled. */
  readonly failureAlarm?: CloudwatchMetricAlarm;
  /** Seconds a received message stays hidden, as deployed. */
  readonly visibilityTimeoutSeconds: number;

  constructor(scope: Construct, id: string, props: MessageQueueProps) {
    super(scope, id);
    const retention = props.retentionSeconds ?? 4 * DAY;
    const dlqRetention = props.deadLetterRetentionSeconds ?? 14 * DAY;
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? 30;
    const problems: string[] = [];
    if (props.maxReceiveCount !== undefined && (props.maxReceiveCount < 1 || props.maxReceiveCount > 1000)) {
      problems.push(`maxReceiveCount ${props.maxReceiveCount} must be from 1 to 1000`);
    }
    if (props.maxReceiveCount !== undefined && dlqRetention <= retention) {
      problems.push(`the dead-letter retention (${dlqRetention}s) must exceed the queue's (${retention}s), or a message can expire before it is dead-lettered`);
    }
    throwIfProblems(this, problems);

    if (props.maxReceiveCount !== undefined) {
      this.deadLetterQueue = new SqsQueue(this, 'DeadLetterQueue', {
        name: `${props.name}-dlq`,
        messageRetentionSeconds: dlqRetention,
        sqsManagedSseEnabled: true,
      });
    }
    this.queue = new SqsQueue(this, 'Queue', {
      name: props.name,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      messageRetentionSeconds: retention,
      sqsManagedSseEnabled: true,
      redrivePolicy: this.deadLetterQueue
        ? Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: props.maxReceiveCount })
        : undefined,
    });

    if (props.alarmOnFailures ?? true) {
      const failures = this.deadLetterQueue ?? this.queue;
      this.failureAlarm = new CloudwatchMetricAlarm(this, 'FailuresAlarm', {
        alarmName: `${failures.name}-not-empty`,
        alarmDescription: `Messages are waiting in ${failures.name}: they failed processing. Inspect, fix, then redrive them.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: failures.name },
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: props.alarmActions ? [...props.alarmActions] : undefined,
      });
    }
  }

  /** Lets `grantee` put messages on this queue (and nothing else). SSE-SQS needs no KMS grant. */
  grantSendMessages(grantee: IGrantable): void {
    grantee.grantPrincipal.addStatements({ sid: `SendTo${sidPart(this.node.id)}`, actions: ['sqs:SendMessage'], resources: [this.arn] });
  }

  /** What a Lambda event source mapping calls on the consumer's behalf. */
  grantConsumeMessages(grantee: IGrantable): void {
    grantee.grantPrincipal.addStatements({
      sid: `Consume${sidPart(this.node.id)}`,
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      resources: [this.arn],
    });
  }

  get arn(): string {
    return this.queue.arn;
  }

  get url(): string {
    return this.queue.url;
  }
}
