import { IConstruct } from 'constructs';
import { IAspect } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';

/**
 * What every monitored concept (API, function, queue, stream, table) shares: the thresholds its
 * alarms take from the configuration, the dashboard section it contributes, and the helpers that
 * keep every alarm and widget built the same way.
 */

/** Alarm thresholds, from the PIPELINES_ALARM_* settings (see lib/config.ts). */
export interface AlarmThresholds {
  /** API: share of requests answered 5xx, in percent, that raises the alarm. */
  readonly api5xxPercent: number;
  /** API: p99 latency, in milliseconds. */
  readonly apiLatencyP99Ms: number;
  /** Lambda: errors in 5 minutes. */
  readonly lambdaErrors: number;
  /** Lambda: throttled invocations in 5 minutes. */
  readonly lambdaThrottles: number;
  /** Lambda: p99 duration, in percent of the function's timeout. */
  readonly lambdaDurationPercentOfTimeout: number;
  /** SQS work queue: age of the oldest message, in seconds. */
  readonly queueOldestMessageSeconds: number;
  /** Kinesis consumer: iterator age, in seconds. */
  readonly iteratorAgeSeconds: number;
  /** DynamoDB: throttled reads, or writes, in 5 minutes. */
  readonly dynamodbThrottles: number;
}

/** What a concept needs to know to build its alarms and widgets. */
export interface MonitoringContext {
  readonly thresholds: AlarmThresholds;
  /** Region of the metrics (dashboard widgets name it). */
  readonly region: string;
}

/** A metric graph (or a text header); the dashboard decides where it goes and how big it is. */
export interface Widget {
  readonly type: 'metric' | 'text';
  readonly properties: Readonly<Record<string, unknown>>;
}

/** One concept's part of the dashboard and of the alarms. */
export interface MonitoredSection {
  /** Header of the section's column, e.g. `Lambda function sp-dev-webhook-consumer`. */
  readonly title: string;
  readonly widgets: readonly Widget[];
  readonly alarms: readonly CloudwatchMetricAlarm[];
}

/** A construct that knows its own metrics. `monitor` creates its alarms once; later calls return the same section. */
export interface IMonitorable {
  monitor(context: MonitoringContext): MonitoredSection;
}

export interface MetricLine {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Maximum`, `p99`, … */
  readonly stat: string;
  readonly label: string;
  /** Plot on the right axis (a second unit in the same graph). @default left */
  readonly rightAxis?: boolean;
}

/** A time-series graph, with the alarm threshold drawn as a horizontal line when given. */
export function graph(
  context: MonitoringContext,
  title: string,
  lines: readonly MetricLine[],
  threshold?: { readonly label: string; readonly value: number },
): Widget {
  return {
    type: 'metric',
    properties: {
      title,
      region: context.region,
      view: 'timeSeries',
      stacked: false,
      period: 60,
      // Dashboard metric arrays: [namespace, name, dimension name, value, …, rendering options].
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html#CloudWatch-Dashboard-Properties-Metric-Widget-Object
      metrics: lines.map((l) => [
        l.namespace,
        l.metricName,
        ...Object.entries(l.dimensions).flat(),
        { stat: l.stat, label: l.label, ...(l.rightAxis ? { yAxis: 'right' } : {}) },
      ]),
      ...(threshold ? { annotations: { horizontal: [threshold] } } : {}),
    },
  };
}

export interface AlarmSpec {
  readonly alarmName: string;
  /** What it means and the first thing to check. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** A statistic (`Sum`, `Average`, `Maximum`) or a percentile (`p99`). */
  readonly stat: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods (every period must breach) */
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold';
  /**
   * Always chosen, never left to the default: `notBreaching` for metrics AWS only emits when
   * something happens (no requests, no errors, no throttles is healthy); `missing` where silence
   * itself is suspicious. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
   */
  readonly treatMissingData: 'notBreaching' | 'missing' | 'breaching';
  /**
   * Evaluate `FILL(m, value)` (metric math) instead of the metric itself, so every period has a
   * value and the alarm returns to OK when the events stop. Needed where missing data cannot be
   * treated at all: alarms on `AWS/DynamoDB` metrics ignore `TreatMissingData` and keep their state
   * while data is missing, so a throttle alarm fed by the raw metric (published only when something
   * is throttled) would stay in ALARM for good after its first episode.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (TreatMissingData)
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (FILL)
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html
   * @default the raw metric
   */
  readonly fillMissingWith?: number;
}

/** Id of the metric inside a `FILL` alarm's metric math; the expression is `FILL(<id>, value)`. */
export const FILLED_METRIC_ID = 'm';

/** A metric alarm built the one way every alarm of the app is built; its actions come from `AlarmActions`. */
export function metricAlarm(scope: IConstruct, id: string, spec: AlarmSpec): CloudwatchMetricAlarm {
  const percentile = /^p\d+(\.\d+)?$/.test(spec.stat);
  const common = {
    alarmName: spec.alarmName,
    alarmDescription: spec.description,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    treatMissingData: spec.treatMissingData,
  };
  if (spec.fillMissingWith !== undefined) {
    return new CloudwatchMetricAlarm(scope, id, {
      ...common,
      metricQuery: [
        {
          id: FILLED_METRIC_ID,
          returnData: false,
          metric: { namespace: spec.namespace, metricName: spec.metricName, dimensions: { ...spec.dimensions }, stat: spec.stat, period: spec.periodSeconds },
        },
        { id: 'filled', expression: `FILL(${FILLED_METRIC_ID}, ${spec.fillMissingWith})`, label: `${spec.metricName} (${spec.fillMissingWith} when none)`, returnData: true },
      ],
    });
  }
  return new CloudwatchMetricAlarm(scope, id, {
    ...common,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: { ...spec.dimensions },
    statistic: percentile ? undefined : spec.stat,
    extendedStatistic: percentile ? spec.stat : undefined,
    period: spec.periodSeconds,
  });
}

/**
 * Gives every metric alarm in the scope that has none the same alarm and OK actions, so no alarm
 * of the stack can fire without reaching someone (the policy suite checks the result). OK actions
 * tell the on-call person the problem is over without looking. An alarm that treats missing data as
 * `missing` does so because silence there means broken (a consumer that stopped reading): it
 * shows as INSUFFICIENT_DATA, which notifies only through insufficient-data actions, so those are set
 * too. https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (InsufficientDataActions)
 */
export class AlarmActions implements IAspect {
  constructor(private readonly actions: readonly string[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CloudwatchMetricAlarm)) return;
    if (!node.alarmActionsInput || node.alarmActionsInput.length === 0) node.alarmActions = [...this.actions];
    if (!node.okActionsInput || node.okActionsInput.length === 0) node.okActions = [...this.actions];
    const silenceIsBroken = node.treatMissingDataInput === undefined || node.treatMissingDataInput === 'missing';
    if (silenceIsBroken && (!node.insufficientDataActionsInput || node.insufficientDataActionsInput.length === 0)) {
      node.insufficientDataActions = [...this.actions];
    }
  }
}
