import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { throwIfProblems } from './errors';
import { EncryptedStream } from './kinesis-stream';
import { MessageQueue } from './message-queue';
import { NodejsFunction } from './nodejs-function';

const DAY = 24 * 60 * 60;

export interface StreamConsumerProps {
  readonly stream: EncryptedStream;
  /** The consumer; its handler must answer `{batchItemFailures}` (partial batch responses are on). */
  readonly function: NodejsFunction;
  /** Physical name of the SQS queue that receives batches which failed every retry. */
  readonly failureQueueName: string;
  /** Records per invocation (1-10000). @default 100 */
  readonly batchSize?: number;
  /** Seconds Lambda may wait to fill a batch (0-300). @default 5 */
  readonly maxBatchingWindowSeconds?: number;
  /** Retries of a failing batch before it goes to the failure queue (0-10000, never infinite). @default 3 */
  readonly maxRetryAttempts?: number;
  /**
   * Records older than this go to the failure queue instead of being retried (60-604800 s, never
   * infinite; at most the stream's retention). @default 3600
   */
  readonly maxRecordAgeSeconds?: number;
  /** @default TRIM_HORIZON: records written before the mapping existed are still processed */
  readonly startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Concurrent batches per shard (1-10); above 1 only per-partition-key order is kept. @default 1 */
  readonly parallelizationFactor?: number;
  /** Alarm when the oldest unread record is older than this, in milliseconds. @default 600000 (10 minutes) */
  readonly iteratorAgeAlarmMs?: number;
  /** SNS topics or other alarm actions of both alarms. @default none */
  readonly alarmActions?: readonly string[];
}

/**
 * A Lambda function consuming a Kinesis stream with nothing lost silently: partial batch
 * responses (only failed records are retried), bisection of failing batches, finite retries and
 * record age, then an encrypted on-failure queue that alarms as soon as it holds anything; plus an
 * alarm when the consumer falls behind the stream.
 *
 * The failure queue receives Lambda's invocation record (shard, sequence-number range), not the
 * data: replay from the stream within its retention.
 */
export class StreamConsumer extends Construct {
  readonly mapping: LambdaEventSourceMapping;
  readonly failureQueue: MessageQueue;
  readonly iteratorAgeAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    const settings = {
      batchSize: props.batchSize ?? 100,
      maxBatchingWindowSeconds: props.maxBatchingWindowSeconds ?? 5,
      maxRetryAttempts: props.maxRetryAttempts ?? 3,
      maxRecordAgeSeconds: props.maxRecordAgeSeconds ?? 3600,
      parallelizationFactor: props.parallelizationFactor ?? 1,
      iteratorAgeAlarmMs: props.iteratorAgeAlarmMs ?? 600_000,
    };
    throwIfProblems(this, problemsOf(settings, props.stream.retentionHours));

    this.failureQueue = new MessageQueue(this, 'FailureQueue', {
      name: props.failureQueueName,
      // The longest SQS allows: a failed batch must still be here when someone looks at it.
      retentionSeconds: 14 * DAY,
      alarmActions: props.alarmActions,
    });

    props.stream.grantRead(props.function);
    this.failureQueue.grantSendMessages(props.function);

    this.mapping = new LambdaEventSourceMapping(this, 'Mapping', {
      eventSourceArn: props.stream.arn,
      functionName: props.function.arn,
      startingPosition: props.startingPosition ?? 'TRIM_HORIZON',
      batchSize: settings.batchSize,
      maximumBatchingWindowInSeconds: settings.maxBatchingWindowSeconds,
      parallelizationFactor: settings.parallelizationFactor,
      functionResponseTypes: ['ReportBatchItemFailures'],
      // A failing batch is split in halves until the poison record is isolated, so its neighbours succeed.
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: settings.maxRetryAttempts,
      maximumRecordAgeInSeconds: settings.maxRecordAgeSeconds,
      destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
      // Lambda checks the role's stream and queue rights when the mapping is created.
      dependsOn: [props.function.role.policy],
    });

    this.iteratorAgeAlarm = new CloudwatchMetricAlarm(this, 'IteratorAgeAlarm', {
      alarmName: `${props.stream.name}-iterator-age`,
      alarmDescription: `The consumer of ${props.stream.name} is more than ${settings.iteratorAgeAlarmMs / 1000}s behind: records risk expiring before they are processed.`,
      namespace: 'AWS/Kinesis',
      metricName: 'GetRecords.IteratorAgeMilliseconds',
      dimensions: { StreamName: props.stream.name },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 5,
      threshold: settings.iteratorAgeAlarmMs,
      comparisonOperator: 'GreaterThanThreshold',
      // No data means nobody is reading the stream at all: that must show as INSUFFICIENT_DATA, not OK.
      treatMissingData: 'missing',
      alarmActions: props.alarmActions ? [...props.alarmActions] : undefined,
    });
  }
}

interface Settings {
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly maxRetryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  readonly parallelizationFactor: number;
  readonly iteratorAgeAlarmMs: number;
}

function problemsOf(s: Settings, streamRetentionHours: number): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => ok || problems.push(problem);
  const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
  check(whole(s.batchSize, 1, 10000), `batchSize ${s.batchSize} must be from 1 to 10000`);
  check(whole(s.maxBatchingWindowSeconds, 0, 300), `maxBatchingWindowSeconds ${s.maxBatchingWindowSeconds} must be from 0 to 300`);
  check(
    whole(s.maxRetryAttempts, 0, 10000),
    `maxRetryAttempts ${s.maxRetryAttempts} must be from 0 to 10000 (-1, retry forever, would block the shard behind one poison record)`,
  );
  check(
    whole(s.maxRecordAgeSeconds, 60, 604800),
    `maxRecordAgeSeconds ${s.maxRecordAgeSeconds} must be from 60 to 604800 (-1, no limit, would let records expire unprocessed)`,
  );
  if (s.maxRecordAgeSeconds > streamRetentionHours * 3600) {
    problems.push(
      `maxRecordAgeSeconds ${s.maxRecordAgeSeconds} exceeds the stream's retention (${streamRetentionHours} h): records would expire before they reach the failure queue; lower it or raise the stream's retentionHours`,
    );
  }
  check(whole(s.parallelizationFactor, 1, 10), `parallelizationFactor ${s.parallelizationFactor} must be from 1 to 10`);
  check(whole(s.iteratorAgeAlarmMs, 1000, 7 * DAY * 1000), `iteratorAgeAlarmMs ${s.iteratorAgeAlarmMs} must be from 1000 to 604800000`);
  return problems;
}
