import { EncryptedStream } from '../../lib/constructs/kinesis-stream';
import { MonitoringContext } from '../../lib/monitoring';
import { alarmThresholds } from '../../lib/pipeline-stack';
import { appStack, resourcesOf, synthJson, testConfig, testStack, TfJson } from '../support/synth';

const context: MonitoringContext = { thresholds: alarmThresholds(testConfig()), region: 'eu-west-1' };

describe('EncryptedStream throttle alarms', () => {
  const alarmsOf = (configure: (stream: EncryptedStream) => void) => {
    const stack = testStack();
    const stream = new EncryptedStream(stack, 'Events', { name: 'events' });
    configure(stream);
    stream.monitor(context);
    // Alarm names follow the stream's name attribute: `${aws_kinesis_stream.X.name}-write-throttles`.
    return Object.values(resourcesOf(synthJson(stack), 'aws_cloudwatch_metric_alarm')).map((a) => ({ ...a, alarm_name: String(a.alarm_name).replace(/^\$\{[^}]+\}/, 'events') }));
  };
  const filledMetric = (alarm: Record<string, unknown>) => {
    const [metric, expression] = alarm.metric_query as { metric?: { metric_name: string; namespace: string }; expression?: string }[];
    return { metric: metric.metric?.metric_name, namespace: metric.metric?.namespace, expression: expression.expression };
  };

  // Both Kinesis APIs in front of the streams answer ProvisionedThroughputExceededException with 429:
  // not a 5xx, so only the stream's own metric shows it.
  it('alarms on refused writes, over FILL(m, 0) so it clears once throttling stops', () => {
    const alarms = alarmsOf(() => undefined);
    expect(alarms.map((a) => a.alarm_name)).toEqual(['events-write-throttles']);
    expect(filledMetric(alarms[0])).toEqual({ metric: 'WriteProvisionedThroughputExceeded', namespace: 'AWS/Kinesis', expression: 'FILL(m, 0)' });
    expect(alarms[0]).toMatchObject({ threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', evaluation_periods: 1, treat_missing_data: 'notBreaching' });
  });

  it('alarms on refused reads too where asked', () => {
    const alarms = alarmsOf((s) => s.alarmOnReadThrottling());
    expect(alarms.map((a) => [a.alarm_name, filledMetric(a).metric]).sort()).toEqual([
      ['events-read-throttles', 'ReadProvisionedThroughputExceeded'],
      ['events-write-throttles', 'WriteProvisionedThroughputExceeded'],
    ]);
  });

  it('refuses a late request for read alarms, naming the fix', () => {
    const stream = new EncryptedStream(testStack(), 'Events', { name: 'events' });
    stream.monitor(context);
    expect(() => stream.alarmOnReadThrottling()).toThrow('EncryptedStream test/Events: alarmOnReadThrottling() must be called before monitor().');
  });

  it('reads are alarmed on the proxy streams clients read, writes on every stream', () => {
    const throttleAlarms = (tf: TfJson) =>
      Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm'))
        .map((a) => String(a.alarm_name))
        .filter((n) => /^sp-dev-.*-(read|write)-throttles$/.test(n))
        .map((n) => n.replace(/^.*-(read|write)-/, '$1-'))
        .sort();
    expect(throttleAlarms(appStack('apigw-kinesis-proxy'))).toEqual(['read-throttles', 'write-throttles']);
    expect(throttleAlarms(appStack('apigw-kinesis-putrecord'))).toEqual(['write-throttles', 'write-throttles']);
  });
});
