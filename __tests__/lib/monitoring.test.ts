import { Aspects, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { AlarmActions, metricAlarm } from '../../lib/monitoring';
import { ALARM_SETTINGS } from '../support/shared-synthesis';
import { appStack, resourcesOf, TfJson } from '../support/synth';

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  return s;
}

const alarmsOf = (s: TerraformStack) => Object.values(resourcesOf(JSON.parse(Testing.synth(s)) as TfJson, 'aws_cloudwatch_metric_alarm'));

describe('AlarmActions', () => {
  it('fills in missing alarm and OK actions and keeps explicit ones', () => {
    const s = stack();
    new CloudwatchMetricAlarm(s, 'Bare', { alarmName: 'bare', comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1 });
    new CloudwatchMetricAlarm(s, 'Explicit', {
      alarmName: 'explicit',
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      alarmActions: ['arn:aws:sns:eu-west-1:123456789012:other'],
    });
    Aspects.of(s).add(new AlarmActions(['arn:aws:sns:eu-west-1:123456789012:alarms']));
    expect(alarmsOf(s).map((a) => [a.alarm_name, a.alarm_actions, a.ok_actions])).toEqual([
      ['bare', ['arn:aws:sns:eu-west-1:123456789012:alarms'], ['arn:aws:sns:eu-west-1:123456789012:alarms']],
      ['explicit', ['arn:aws:sns:eu-west-1:123456789012:other'], ['arn:aws:sns:eu-west-1:123456789012:alarms']],
    ]);
  });
});

describe('AlarmActions and INSUFFICIENT_DATA', () => {
  it('notifies INSUFFICIENT_DATA where missing data is missing (silence means broken), and nowhere else', () => {
    const s = stack();
    const common = { comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1 } as const;
    new CloudwatchMetricAlarm(s, 'Missing', { ...common, alarmName: 'missing', treatMissingData: 'missing' });
    new CloudwatchMetricAlarm(s, 'Unset', { ...common, alarmName: 'unset' });
    new CloudwatchMetricAlarm(s, 'Quiet', { ...common, alarmName: 'quiet', treatMissingData: 'notBreaching' });
    Aspects.of(s).add(new AlarmActions(['arn:aws:sns:eu-west-1:123456789012:alarms']));
    expect(Object.fromEntries(alarmsOf(s).map((a) => [a.alarm_name, a.insufficient_data_actions]))).toEqual({
      missing: ['arn:aws:sns:eu-west-1:123456789012:alarms'],
      unset: ['arn:aws:sns:eu-west-1:123456789012:alarms'],
      quiet: undefined,
    });
  });
});

describe('metricAlarm', () => {
  it('evaluates FILL(m, value) over the metric when asked, so every period has a value', () => {
    const s = stack();
    metricAlarm(s, 'Filled', {
      alarmName: 'filled',
      description: 'd',
      namespace: 'AWS/DynamoDB',
      metricName: 'ReadThrottleEvents',
      dimensions: { TableName: 't' },
      stat: 'Sum',
      periodSeconds: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      fillMissingWith: 0,
    });
    const [alarm] = alarmsOf(s);
    // The provider refuses metric_name/namespace/period/statistic next to metric_query.
    for (const key of ['metric_name', 'namespace', 'period', 'statistic', 'extended_statistic', 'dimensions']) expect(alarm).not.toHaveProperty(key);
    expect(alarm.metric_query).toEqual([
      { id: 'm', return_data: false, metric: { namespace: 'AWS/DynamoDB', metric_name: 'ReadThrottleEvents', dimensions: { TableName: 't' }, stat: 'Sum', period: 300 } },
      { id: 'filled', expression: 'FILL(m, 0)', label: 'ReadThrottleEvents (0 when none)', return_data: true },
    ]);
  });


  it('sends a percentile as extended_statistic and anything else as statistic', () => {
    const s = stack();
    const common = { description: 'd', namespace: 'AWS/Lambda', dimensions: { FunctionName: 'f' }, periodSeconds: 300, evaluationPeriods: 1, threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', treatMissingData: 'notBreaching' } as const;
    metricAlarm(s, 'P99', { ...common, alarmName: 'p99', metricName: 'Duration', stat: 'p99' });
    metricAlarm(s, 'Sum', { ...common, alarmName: 'sum', metricName: 'Errors', stat: 'Sum' });
    const [p99, sum] = alarmsOf(s);
    expect(p99).toMatchObject({ extended_statistic: 'p99', treat_missing_data: 'notBreaching' });
    expect(p99).not.toHaveProperty('statistic');
    expect(sum).toMatchObject({ statistic: 'Sum' });
    expect(sum).not.toHaveProperty('extended_statistic');
  });
});

describe('thresholds come from the settings', () => {
  const webhookAlarms = (env: Readonly<Record<string, string>>) => Object.values(resourcesOf(appStack('apigw-sqs-lambda-dynamodb', env), 'aws_cloudwatch_metric_alarm'));
  const byName = (alarms: Record<string, unknown>[], suffix: string, function_?: string) =>
    alarms.filter((a) => String(a.alarm_name).endsWith(suffix) && (!function_ || String(a.alarm_name).includes(function_)));

  it('uses the defaults, and every alarm sets treat_missing_data', () => {
    const alarms = webhookAlarms({});
    expect(alarms).toHaveLength(15);
    expect(alarms.every((a) => a.treat_missing_data === 'notBreaching' || a.treat_missing_data === 'missing')).toBe(true);
    expect(byName(alarms, '-5xx-rate')[0]).toMatchObject({ metric_name: '5xx', statistic: 'Average', threshold: 0.01, datapoints_to_alarm: 3, evaluation_periods: 5 });
    expect(byName(alarms, '-p99-latency')[0]).toMatchObject({ metric_name: 'Latency', extended_statistic: 'p99', threshold: 3000 });
    expect(byName(alarms, '-oldest-message-age')[0]).toMatchObject({ metric_name: 'ApproximateAgeOfOldestMessage', threshold: 600 });
  });

  it('follows each PIPELINES_ALARM_* setting', () => {
    // API error 5 %, latency 1,500 ms, Lambda errors 3, throttles 4, duration 50 %, queue age 120 s, DynamoDB throttles 7.
    const alarms = webhookAlarms(ALARM_SETTINGS);
    expect(byName(alarms, '-5xx-rate')[0].threshold).toBe(0.05);
    expect(byName(alarms, '-p99-latency')[0].threshold).toBe(1500);
    expect(byName(alarms, '-errors').map((a) => a.threshold)).toEqual([3, 3, 3]);
    expect(byName(alarms, '-throttles', 'Consumer_Function').map((a) => a.threshold)).toEqual([4]);
    // The consumer's timeout is 30 s: half of it.
    expect(byName(alarms, '-duration', 'Consumer_Function')[0].threshold).toBe(15000);
    expect(byName(alarms, '-oldest-message-age')[0].threshold).toBe(120);
    expect(byName(alarms, '-read-throttles')[0].threshold).toBe(7);
  });
});
