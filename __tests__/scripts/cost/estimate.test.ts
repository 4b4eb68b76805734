import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { estimateStack, StackCost } from '../../../scripts/lib/cost/estimate';
import { inventoryFromConfig, SynthesizedConfig } from '../../../scripts/lib/cost/inventory';
import { loadPriceTable, pricesFor } from '../../../scripts/lib/cost/prices';
import { DEFAULT_PROFILE, TrafficProfile } from '../../../scripts/lib/cost/profile';
import { FREE_TYPES, RULES, UnpricedError } from '../../../scripts/lib/cost/rules';
import { allStacks } from '../../support/all-stacks';
import { synthStack } from '../../support/synth';

/**
 * The arithmetic on a stack small enough to price by hand from pricing/prices.json:
 * one KMS key, one Kinesis stream with 2 shards, a standard alarm, a metric-math alarm over two
 * metrics, a 10-second (high-resolution) alarm, and a REST API stage.
 */
const tiny = synthStack((app) => {
  const stack = new TerraformStack(app, 'tiny');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new KmsKey(stack, 'Key', { enableKeyRotation: true });
  new KinesisStream(stack, 'Stream', { name: 'events', shardCount: 2, streamModeDetails: { streamMode: 'PROVISIONED' } });
  const alarm = { comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, threshold: 1 };
  new CloudwatchMetricAlarm(stack, 'Errors', { ...alarm, alarmName: 'errors', namespace: 'AWS/Lambda', metricName: 'Errors', period: 300, statistic: 'Sum' });
  new CloudwatchMetricAlarm(stack, 'Fast', { ...alarm, alarmName: 'fast', namespace: 'Custom', metricName: 'Beats', period: 10, statistic: 'Sum' });
  const stat = (id: string, metricName: string) => ({ id, metric: { namespace: 'AWS/ApiGateway', metricName, period: 300, stat: 'Sum' } });
  new CloudwatchMetricAlarm(stack, 'Rate', {
    ...alarm,
    alarmName: 'rate',
    metricQuery: [stat('errors', '5XXError'), stat('count', 'Count'), { id: 'rate', expression: '100 * errors / count', returnData: true }],
  });
  new ApiGatewayStage(stack, 'Stage', { restApiId: 'abcdef1234', deploymentId: 'dep123', stageName: 'v1' });
  return stack;
});

const table = loadPriceTable();
const price = (profile: TrafficProfile, region = 'us-east-1'): StackCost => estimateStack(inventoryFromConfig(tiny as SynthesizedConfig), { prices: pricesFor(table, region), profile });
const item = (cost: StackCost, type: string, name?: string) => cost.items.find((i) => i.type === type && (name === undefined || i.address.endsWith(name)))!;

describe('estimateStack on a tiny synthesized stack', () => {
  const profile: TrafficProfile = { ...DEFAULT_PROFILE, requestsPerDay: 10_000, recordsPerRequest: 2, payloadBytes: 30 * 1024 };
  const cost = price(profile);

  it('prices what it costs to exist, by hand: key $1, 2 shards × 730 h × $0.015, alarms $0.10 + $0.30 + 2 × $0.10', () => {
    expect(item(cost, 'aws_kms_key').idleMonthlyUsd).toBeCloseTo(1.0, 10);
    expect(item(cost, 'aws_kinesis_stream').idleMonthlyUsd).toBeCloseTo(21.9, 10);
    expect(item(cost, 'aws_cloudwatch_metric_alarm', '.Errors').idleMonthlyUsd).toBeCloseTo(0.1, 10);
    expect(item(cost, 'aws_cloudwatch_metric_alarm', '.Fast').idleMonthlyUsd).toBeCloseTo(0.3, 10);
    expect(item(cost, 'aws_cloudwatch_metric_alarm', '.Rate').idleMonthlyUsd).toBeCloseTo(0.2, 10);
    expect(item(cost, 'aws_api_gateway_stage').idleMonthlyUsd).toBe(0);
    expect(cost.idleMonthlyUsd).toBeCloseTo(1 + 21.9 + 0.1 + 0.3 + 0.2, 10);
  });

  it('adds the profile: 10,000 requests a day × 730/24 days at $3.50 per million, 2 records of 30 KB = 4 PUT payload units each', () => {
    const requests = (10_000 * 730) / 24;
    expect(item(cost, 'aws_api_gateway_stage').monthlyUsd).toBeCloseTo((requests * 3.5) / 1e6, 10);
    const put = item(cost, 'aws_kinesis_stream').lines.find((l) => l.dimension === 'kinesis.putPayloadUnits')!;
    expect(put.quantity).toBeCloseTo(requests * 2 * 2, 6);
    expect(item(cost, 'aws_kinesis_stream').monthlyUsd).toBeCloseTo(21.9 + (requests * 4 * 0.014) / 1e6, 10);
    expect(cost.monthlyUsd).toBeCloseTo(cost.idleMonthlyUsd + (requests * 3.5) / 1e6 + (requests * 4 * 0.014) / 1e6, 10);
  });

  it('uses the region\'s prices: eu-west-1 shards at $0.017', () => {
    expect(item(price(profile, 'eu-west-1'), 'aws_kinesis_stream').idleMonthlyUsd).toBeCloseTo(2 * 730 * 0.017, 10);
  });

  it('names the address, price and quantity of every line, and its source page', () => {
    const shards = item(cost, 'aws_kinesis_stream').lines[0];
    expect(shards).toMatchObject({ dimension: 'kinesis.shardHour', price: '$0.015 per shard-hour', idleQuantity: 1460, quantity: 1460, source: 'https://aws.amazon.com/kinesis/data-streams/pricing/' });
    expect(item(cost, 'aws_kinesis_stream').address).toBe('aws_kinesis_stream.Stream');
  });

  it('shows a usage-priced resource with no usage as 0 with its usage line, never as nothing', () => {
    const requests = item(cost, 'aws_kms_key').lines.find((l) => l.dimension === 'kms.requests')!;
    expect(requests).toMatchObject({ quantity: 0, monthlyUsd: 0 });
    expect(requests.basis).toMatch(/requests: 0/);
  });

  it('stops at a billing mode it has no price for, naming the resource', () => {
    const onDemand = { resource: { aws_kinesis_stream: { S: { name: 's', stream_mode_details: { stream_mode: 'ON_DEMAND' } } } } };
    expect(() => estimateStack(inventoryFromConfig(onDemand), { prices: pricesFor(table, 'us-east-1'), profile })).toThrow(/aws_kinesis_stream\.S: stream mode ON_DEMAND has no pricing rule/);
    const unknown = { resource: { aws_rds_cluster: { Db: {} } } };
    expect(() => estimateStack(inventoryFromConfig(unknown), { prices: pricesFor(table, 'us-east-1'), profile })).toThrow(UnpricedError);
  });
});

describe('every resource type the app synthesizes', () => {
  const stacks = allStacks();
  const types = new Set([...stacks.values()].flatMap((tf) => Object.keys(tf.resource ?? {})));

  it.each([...types].sort())('%s is priced or listed as free with the reason', (type) => {
    expect(RULES[type] !== undefined || (FREE_TYPES[type] ?? '').length > 0).toBe(true);
  });

  it('is priced with at least one line whenever it has a rule (no resource is silently zero)', () => {
    for (const [name, tf] of stacks) {
      const cost = estimateStack(inventoryFromConfig(tf as SynthesizedConfig), { prices: pricesFor(table, 'us-east-1'), profile: DEFAULT_PROFILE });
      const silent = cost.items.filter((i) => !i.free && i.lines.length === 0).map((i) => `${name} ${i.address}`);
      expect(silent).toEqual([]);
      expect(cost.items).toHaveLength(Object.values(tf.resource ?? {}).reduce((count, byName) => count + Object.keys(byName).length, 0));
    }
  });
});
