/**
 * A witness of CloudWatch's documented metric-alarm evaluation, to check synthesized alarms against:
 * not product code, and not a model of anything the documentation leaves open.
 *
 * What it follows (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation,
 * #alarms-and-missing-data, and the PutMetricAlarm API reference):
 * - Each evaluation looks at an evaluation range of more periods than `evaluation_periods` (N). With
 *   N or more real data points in it, the most recent N real points decide: ALARM when at least
 *   `datapoints_to_alarm` (M, default N) of them breach, else OK; missing data is not consulted.
 * - With fewer than N real points, missing points are filled as `treat_missing_data` says, as few
 *   as needed: `notBreaching` as good, `breaching` as bad; `ignore` keeps the current state unless
 *   the outcome is the same either way; `missing` (the default) goes to INSUFFICIENT_DATA when every
 *   point of the range is missing, and otherwise decides on the real points, which is the documented
 *   table's outcome ("- - X - -" is ALARM, "- - - - 0" is OK, for N = M = 3).
 * - Alarms on `AWS/DynamoDB` metrics ignore `treat_missing_data` and keep their state when data is
 *   missing (PutMetricAlarm, TreatMissingData): evaluated as `ignore`.
 * - Metric math `FILL(m, v)` gives every period of the range a value: `v` where `m` has none.
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html)
 * - Actions run on a change of state only: `alarm_actions` on entering ALARM, `ok_actions` on OK,
 *   `insufficient_data_actions` on INSUFFICIENT_DATA.
 *
 * Not documented, so chosen: the evaluation range is N + 2 periods (the documentation's example
 * table shows 5 points for N = 3); only the moment of a change depends on it, never the states reached.
 */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
type MissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export interface AlarmUnderTest {
  readonly name: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: string;
  readonly treatMissingData: MissingData;
  /** The `v` of a `FILL(m, v)` alarm. */
  readonly fill?: number;
  readonly actions: Readonly<Record<AlarmState, readonly string[]>>;
}

/** Reads an `aws_cloudwatch_metric_alarm` as synthesized: a plain metric, or `FILL` over one metric. */
export function alarmUnderTest(config: Record<string, unknown>): AlarmUnderTest {
  let namespace = String(config.namespace);
  let metricName = String(config.metric_name);
  let fill: number | undefined;
  const queries = config.metric_query as { id: string; expression?: string; return_data?: boolean; metric?: { namespace: string; metric_name: string } }[] | undefined;
  if (queries) {
    const returned = queries.filter((q) => q.return_data === true);
    const match = returned.length === 1 ? /^FILL\((\w+), (-?\d+(?:\.\d+)?)\)$/.exec(returned[0].expression ?? '') : null;
    const filled = match && queries.find((q) => q.id === match[1] && q.metric);
    if (!match || !filled) throw new Error(`${String(config.alarm_name)}: the witness knows only FILL(metric, value) metric math`);
    ({ namespace, metric_name: metricName } = filled.metric!);
    fill = Number(match[2]);
  }
  const evaluationPeriods = Number(config.evaluation_periods);
  const list = (key: string) => (config[key] as string[] | undefined) ?? [];
  return {
    name: String(config.alarm_name),
    namespace,
    metricName,
    evaluationPeriods,
    datapointsToAlarm: config.datapoints_to_alarm === undefined ? evaluationPeriods : Number(config.datapoints_to_alarm),
    threshold: Number(config.threshold),
    comparison: String(config.comparison_operator),
    treatMissingData: ((config.treat_missing_data as MissingData | undefined) ?? 'missing'),
    fill,
    actions: { ALARM: list('alarm_actions'), OK: list('ok_actions'), INSUFFICIENT_DATA: list('insufficient_data_actions') },
  };
}

function breaches(alarm: AlarmUnderTest, value: number): boolean {
  switch (alarm.comparison) {
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.threshold;
    case 'LessThanThreshold':
      return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.threshold;
    default:
      throw new Error(`${alarm.name}: the witness does not know ${alarm.comparison}`);
  }
}

/** One evaluation over the points of the evaluation range (oldest first; `undefined` = no data point). */
export function evaluateOnce(alarm: AlarmUnderTest, range: readonly (number | undefined)[], current: AlarmState): AlarmState {
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm;
  const points = alarm.fill === undefined ? range : range.map((p) => p ?? alarm.fill);
  const real = points.filter((p): p is number => p !== undefined);
  if (real.length >= n) return real.slice(-n).filter((p) => breaches(alarm, p)).length >= m ? 'ALARM' : 'OK';

  const bad = real.filter((p) => breaches(alarm, p)).length;
  const fillCount = n - real.length;
  const ifBreaching: AlarmState = bad + fillCount >= m ? 'ALARM' : 'OK';
  const ifNotBreaching: AlarmState = bad >= m ? 'ALARM' : 'OK';
  const treatment = alarm.namespace === 'AWS/DynamoDB' ? 'ignore' : alarm.treatMissingData;
  switch (treatment) {
    case 'breaching':
      return ifBreaching;
    case 'notBreaching':
      return ifNotBreaching;
    case 'ignore':
      return ifBreaching === ifNotBreaching ? ifBreaching : current;
    case 'missing':
      return real.length === 0 ? 'INSUFFICIENT_DATA' : ifBreaching;
  }
}

export interface Transition {
  readonly period: number;
  readonly to: AlarmState;
  /** What the alarm notifies on entering `to`. */
  readonly actions: readonly string[];
}

/** Evaluates after every period of `series` (one value or `undefined` per period) from state `start`. */
export function run(alarm: AlarmUnderTest, series: readonly (number | undefined)[], start: AlarmState): Transition[] {
  const width = alarm.evaluationPeriods + 2;
  const transitions: Transition[] = [];
  let state = start;
  for (let t = 0; t < series.length; t++) {
    const next = evaluateOnce(alarm, series.slice(Math.max(0, t + 1 - width), t + 1), state);
    if (next !== state) transitions.push({ period: t, to: next, actions: alarm.actions[next] });
    state = next;
  }
  return transitions;
}
