import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { dashboardBody, PipelineDashboard } from '../../lib/constructs/dashboard';
import { DynamoTable } from '../../lib/constructs/dynamodb-table';
import { MessageQueue } from '../../lib/constructs/message-queue';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { RestApi } from '../../lib/constructs/rest-api/rest-api';
import { MonitoredSection, MonitoringContext } from '../../lib/monitoring';
import { alarmThresholds } from '../../lib/pipeline-stack';
import { allStacks } from '../support/all-stacks';
import { onlyResource, resourcesOf, testConfig, TfJson } from '../support/synth';

const context: MonitoringContext = { thresholds: alarmThresholds(testConfig()), region: 'eu-west-1' };

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  return s;
}

interface Placed {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

const section = (title: string, graphs: number): MonitoredSection => ({
  title,
  alarms: [],
  widgets: Array.from({ length: graphs }, (_, i) => ({ type: 'metric' as const, properties: { title: `${title} ${i}` } })),
});

describe('dashboardBody layout', () => {
  it('puts the alarms across the top, then one column per section, left to right in request order', () => {
    const s = stack();
    const alarm = new CloudwatchMetricAlarm(s, 'A', { alarmName: 'a', comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1 });
    const { widgets } = dashboardBody([section('api', 2), section('function', 3), section('table', 1)], [alarm]) as { widgets: Placed[] };
    expect(widgets[0]).toMatchObject({ type: 'alarm', x: 0, y: 0, width: 24 });
    const headers = widgets.filter((w) => w.type === 'text');
    expect(headers.map((h) => [h.properties.markdown, h.x, h.width])).toEqual([
      ['### 1. api', 0, 8],
      ['### 2. function', 8, 8],
      ['### 3. table', 16, 8],
    ]);
    expect(headers.every((h) => h.y === widgets[0].height)).toBe(true);
    // Each section's graphs stack under its header, in its own column.
    const fnGraphs = widgets.filter((w) => String(w.properties.title).startsWith('function'));
    expect(fnGraphs.map((w) => [w.x, w.y])).toEqual([
      [8, headers[1].y + 1],
      [8, headers[1].y + 7],
      [8, headers[1].y + 13],
    ]);
  });

  it('wraps sections that do not fit into a band below, never narrower than 6 units', () => {
    const { widgets } = dashboardBody(['a', 'b', 'c', 'd', 'e', 'f'].map((t) => section(t, 1)), []) as { widgets: Placed[] };
    const headers = widgets.filter((w) => w.type === 'text');
    expect(headers.map((h) => [h.x, h.width])).toEqual([
      [0, 6],
      [6, 6],
      [12, 6],
      [18, 6],
      [0, 12],
      [12, 12],
    ]);
    expect(headers[4].y).toBe(headers[0].y + 7);
    // No two widgets overlap.
    for (const a of widgets) {
      for (const b of widgets) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap).toBe(false);
      }
    }
  });
});

describe('PipelineDashboard', () => {
  function build(): TfJson {
    const s = stack();
    const table = new DynamoTable(s, 'Table', { name: 'items', partitionKey: 'id' });
    const fn = new NodejsFunction(s, 'Fn', { functionName: 'worker', entry: 'lambdas/webhook/consumer.ts', logRetentionDays: 7, timeout: 20 });
    const api = new RestApi(s, 'Api', { name: 'api', logRetentionDays: 7, rateLimit: 10, burstLimit: 20 });
    api.addMethod('POST', '/items', { integration: { type: 'LAMBDA_PROXY', function: fn } });
    const queue = new MessageQueue(s, 'Queue', { name: 'jobs', maxReceiveCount: 3 });
    new PipelineDashboard(s, 'Dashboard', { dashboardName: 'pipeline', sections: [api, fn, queue, table], context });
    // An alarm no section contributes still shows at the top.
    new CloudwatchMetricAlarm(s, 'Extra', { alarmName: 'extra', comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1 });
    return JSON.parse(Testing.synth(s)) as TfJson;
  }
  const tf = build();
  const body = JSON.parse(String(onlyResource(tf, 'aws_cloudwatch_dashboard').dashboard_body)) as { widgets: Placed[] };

  it('has a column per construct, in the order the stack lists them', () => {
    expect(body.widgets.filter((w) => w.type === 'text').map((w) => String(w.properties.markdown).replace(/\$\{[^}]+\}/, 'NAME'))).toEqual([
      '### 1. REST API NAME',
      '### 2. Lambda function NAME',
      '### 3. SQS queue NAME',
      '### 4. DynamoDB table NAME',
    ]);
  });

  it('shows every alarm of the stack, contributed ones first', () => {
    const alarmIds = Object.keys(resourcesOf(tf, 'aws_cloudwatch_metric_alarm'));
    const shown = (body.widgets[0].properties.alarms as string[]).map((a) => /aws_cloudwatch_metric_alarm\.([^.]+)\.arn/.exec(a)![1]);
    expect([...shown].sort()).toEqual([...alarmIds].sort());
    expect(shown[shown.length - 1]).toMatch(/^Extra/);
    expect(shown[0]).toMatch(/^Api_ServerErrorRateAlarm/);
  });

  it('draws each alarm threshold on its graph', () => {
    const duration = body.widgets.find((w) => w.properties.title === 'Duration (ms)')!;
    expect(duration.properties.annotations).toEqual({ horizontal: [{ label: '80% of timeout', value: 16000 }] });
  });

  it('refuses a bad name and an empty dashboard, listing both', () => {
    expect(() => new PipelineDashboard(stack(), 'D', { dashboardName: 'a b', sections: [], context })).toThrow(
      'PipelineDashboard test/D: dashboardName "a b" must be 1-255 letters, digits, "-" or "_"; sections must name at least one construct to watch.',
    );
  });
});

describe('monitored constructs', () => {
  it('create their alarms once, however often they are asked', () => {
    const s = stack();
    const fn = new NodejsFunction(s, 'Fn', { functionName: 'worker', entry: 'lambdas/webhook/consumer.ts', logRetentionDays: 7 });
    expect(fn.monitor(context)).toBe(fn.monitor(context));
    expect(Object.keys(resourcesOf(JSON.parse(Testing.synth(s)) as TfJson, 'aws_cloudwatch_metric_alarm'))).toHaveLength(3);
  });

  it('alarm on the oldest message of a work queue only, not of a failure queue', () => {
    const s = stack();
    const workQueue = new MessageQueue(s, 'Work', { name: 'work', maxReceiveCount: 3 });
    const failureQueue = new MessageQueue(s, 'Failures', { name: 'failures' });
    expect(workQueue.monitor(context).alarms.map((a) => a.node.id)).toEqual(['OldestMessageAlarm', 'FailuresAlarm']);
    expect(failureQueue.monitor(context).alarms).toEqual([failureQueue.failureAlarm]);
  });
});

describe('the app', () => {
  it('gives each pipeline stack one dashboard and declares its name as an output', () => {
    for (const [id, tf] of allStacks()) {
      const dashboards = Object.keys(resourcesOf(tf, 'aws_cloudwatch_dashboard'));
      // A pipeline serves an API; the bootstrap stacks (state bucket, account settings) do not.
      const pipeline = Object.keys(resourcesOf(tf, 'aws_api_gateway_rest_api')).length + Object.keys(resourcesOf(tf, 'aws_apigatewayv2_api')).length > 0;
      if (!pipeline) {
        expect(dashboards).toEqual([]);
        continue;
      }
      expect({ id, dashboards: dashboards.length }).toEqual({ id, dashboards: 1 });
      expect({ id, output: tf.output?.dashboard_name?.value }).toEqual({ id, output: `\${aws_cloudwatch_dashboard.${dashboards[0]}.dashboard_name}` });
    }
  });
});
