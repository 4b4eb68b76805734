import { Flow } from './flow';
import { block, Inventory, PricedResource } from './inventory';
import { PriceKey } from './prices';
import { TrafficProfile } from './profile';

/**
 * How each resource type is billed: the lines of its monthly bill, each a billing dimension from the
 * price table and a quantity for the month. A type is either priced here or listed as free with the
 * reason; anything else stops the estimate (__tests__ fails as soon as the app synthesizes it).
 */

export interface LineSpec {
  readonly priceKey: PriceKey;
  readonly quantity: number;
  /** What the quantity is made of, e.g. "304,167 requests × 1 KB". */
  readonly basis: string;
}

export interface RuleContext {
  readonly inventory: Inventory;
  readonly flow: Flow;
  readonly profile: TrafficProfile;
  readonly hoursPerMonth: number;
}

type Rule = (resource: PricedResource, context: RuleContext) => LineSpec[];

const GIB = 1024 ** 3;
const n = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
const units = (bytes: number, unit: number): number => Math.max(1, Math.ceil(bytes / unit));

export class UnpricedError extends Error {
  constructor(address: string, what: string) {
    super(`${address}: ${what} has no pricing rule. Fix: add its price to pricing/prices.json and a rule to scripts/lib/cost/rules.ts.`);
    this.name = 'UnpricedError';
  }
}

/** Types that cost nothing themselves, and why (their traffic is priced on the resource named). */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  aws_iam_role: 'IAM is free',
  aws_iam_role_policy: 'IAM is free',
  aws_iam_policy: 'IAM is free',
  aws_iam_role_policy_attachment: 'IAM is free',
  aws_kms_alias: 'aliases are free; the key is priced',
  aws_sns_topic_policy: 'topic policies are free',
  aws_lambda_permission: 'permissions are free',
  aws_lambda_event_source_mapping: 'mappings are free; the invocations they make are priced on the function',
  aws_secretsmanager_secret_rotation: 'rotation is free; its invocations are priced on the rotation function',
  aws_api_gateway_account: 'account settings are free',
  aws_api_gateway_rest_api: 'API definition; requests are priced on the stage',
  aws_api_gateway_resource: 'API definition; requests are priced on the stage',
  aws_api_gateway_method: 'API definition; requests are priced on the stage',
  aws_api_gateway_method_response: 'API definition; requests are priced on the stage',
  aws_api_gateway_integration: 'API definition; requests are priced on the stage',
  aws_api_gateway_integration_response: 'API definition; requests are priced on the stage',
  aws_api_gateway_gateway_response: 'API definition; requests are priced on the stage',
  aws_api_gateway_model: 'API definition; requests are priced on the stage',
  aws_api_gateway_request_validator: 'API definition; requests are priced on the stage',
  aws_api_gateway_deployment: 'API definition; requests are priced on the stage',
  aws_api_gateway_api_key: 'API keys are free',
  aws_api_gateway_usage_plan: 'usage plans are free',
  aws_api_gateway_usage_plan_key: 'usage plans are free',
  aws_apigatewayv2_api: 'API definition; requests are priced on the stage',
  aws_apigatewayv2_route: 'API definition; requests are priced on the stage',
  aws_apigatewayv2_integration: 'API definition; requests are priced on the stage',
  aws_apigatewayv2_authorizer: 'API definition; its invocations are priced on the authorizer function',
  aws_s3_bucket_lifecycle_configuration: 'bucket configuration; storage is priced on the bucket',
  aws_s3_bucket_ownership_controls: 'bucket configuration; storage is priced on the bucket',
  aws_s3_bucket_policy: 'bucket configuration; storage is priced on the bucket',
  aws_s3_bucket_public_access_block: 'bucket configuration; storage is priced on the bucket',
  aws_s3_bucket_server_side_encryption_configuration: 'bucket configuration; storage is priced on the bucket',
  aws_s3_bucket_versioning: 'bucket configuration; old versions are storage, priced on the bucket',
};

const traffic = (flow: Flow, address: string): string => `${n(flow.of(address))} (${flow.why(address)})`;

export const RULES: Readonly<Record<string, Rule>> = {
  aws_kms_key: (key, { flow }) => [
    // Each automatic rotation adds $1/month for the first two rotations (from the second year on).
    { priceKey: 'kms.key', quantity: 1, basis: `1 key${key.values.enable_key_rotation === true ? ' (first year; +1 key-month after each of the first two yearly rotations)' : ''}` },
    { priceKey: 'kms.requests', quantity: flow.of(key.address), basis: `requests: ${traffic(flow, key.address)}` },
  ],

  aws_kinesis_stream: (stream, { flow, profile, hoursPerMonth }) => {
    const mode = block(stream.values, 'stream_mode_details').stream_mode ?? 'PROVISIONED';
    if (mode !== 'PROVISIONED') throw new UnpricedError(stream.address, `stream mode ${String(mode)}`);
    const shards = Number(stream.values.shard_count);
    const retention = Number(stream.values.retention_period ?? 24);
    // Extended retention is billed per shard-hour up to 7 days; longer is long-term retention, not priced here.
    if (retention > 168) throw new UnpricedError(stream.address, `retention of ${retention} hours (long-term retention)`);
    const records = flow.of(stream.address);
    // A PUT payload unit is each 25 KB chunk of a record. https://aws.amazon.com/kinesis/data-streams/pricing/
    const perRecord = units(profile.payloadBytes, 25 * 1024);
    const lines: LineSpec[] = [
      { priceKey: 'kinesis.shardHour', quantity: shards * hoursPerMonth, basis: `${shards} shard(s) × ${hoursPerMonth} h` },
      { priceKey: 'kinesis.putPayloadUnits', quantity: records * perRecord, basis: `records: ${traffic(flow, stream.address)} × ${perRecord} unit(s)` },
    ];
    if (retention > 24) lines.push({ priceKey: 'kinesis.extendedRetentionShardHour', quantity: shards * hoursPerMonth, basis: `${retention} h retention, ${shards} shard(s) × ${hoursPerMonth} h` });
    return lines;
  },

  aws_dynamodb_table: (table, { flow, profile }) => {
    if ((table.values.billing_mode ?? 'PROVISIONED') !== 'PAY_PER_REQUEST') throw new UnpricedError(table.address, `billing mode ${String(table.values.billing_mode ?? 'PROVISIONED')}`);
    const writes = flow.of(table.address);
    // A write request unit writes 1 KB; each item is stored with 100 bytes of index overhead.
    // https://aws.amazon.com/dynamodb/pricing/on-demand/
    const perWrite = units(profile.payloadBytes, 1024);
    const storedGb = (writes * (profile.payloadBytes + 100)) / GIB;
    const lines: LineSpec[] = [
      { priceKey: 'dynamodb.writeRequestUnits', quantity: writes * perWrite, basis: `writes: ${traffic(flow, table.address)} × ${perWrite} WRU` },
      { priceKey: 'dynamodb.storage', quantity: storedGb, basis: `${n(writes)} items of ${profile.payloadBytes} + 100 bytes (one month's; grows monthly)` },
    ];
    if (block(table.values, 'point_in_time_recovery').enabled === true) {
      lines.push({ priceKey: 'dynamodb.pitrStorage', quantity: storedGb, basis: 'point-in-time recovery of the table size' });
    }
    return lines;
  },

  aws_dynamodb_kinesis_streaming_destination: (destination, { inventory, flow, profile }) => {
    const table = inventory.links.find((l) => l.from === destination.address && l.attribute === 'table_name')?.to;
    const writes = table ? flow.of(table) : 0;
    // One change data capture unit per 1 KB of each changed item.
    const perWrite = units(profile.payloadBytes, 1024);
    return [{ priceKey: 'dynamodb.changeDataCaptureUnits', quantity: writes * perWrite, basis: `${n(writes)} table writes × ${perWrite} unit(s)` }];
  },

  aws_lambda_function: (fn, { flow, profile }) => {
    const invocations = flow.of(fn.address);
    const memoryGb = Number(fn.values.memory_size ?? 128) / 1024;
    const arm = Array.isArray(fn.values.architectures) && fn.values.architectures[0] === 'arm64';
    const lines: LineSpec[] = [
      { priceKey: 'lambda.requests', quantity: invocations, basis: `invocations: ${traffic(flow, fn.address)}` },
      {
        priceKey: arm ? 'lambda.arm64GbSecond' : 'lambda.x86GbSecond',
        quantity: invocations * (profile.lambdaDurationMs / 1000) * memoryGb,
        basis: `${n(invocations)} × ${profile.lambdaDurationMs} ms × ${memoryGb} GB`,
      },
    ];
    if (block(fn.values, 'tracing_config').mode === 'Active') lines.push(traces(flow.of(`traces:${fn.address}`), 'active tracing; invocations the REST API already traces are not counted again'));
    return lines;
  },

  aws_api_gateway_stage: (stage, { flow }) => {
    const lines: LineSpec[] = [{ priceKey: 'apigateway.restRequests', quantity: flow.of(stage.address), basis: `${traffic(flow, stage.address)}` }];
    if (stage.values.xray_tracing_enabled === true) lines.push(traces(flow.of(stage.address), 'X-Ray tracing on the stage'));
    return lines;
  },

  aws_api_gateway_method_settings: (settings, { inventory, flow }) => {
    if (block(settings.values, 'settings').metrics_enabled !== true) return [{ priceKey: 'cloudwatch.metric', quantity: 0, basis: 'detailed metrics off' }];
    const api = linkTo(inventory, settings.address, 'rest_api_id');
    const ofApi = (type: string): string[] => inventory.links.filter((l) => l.to === api && l.attribute === 'rest_api_id' && l.from.startsWith(`${type}.`)).map((l) => l.from);
    const methods = ofApi('aws_api_gateway_method').length;
    // Detailed metrics publish Count, 4XXError, 5XXError, Latency and IntegrationLatency per method
    // (the cache metrics only with caching), billed as custom metrics while requests arrive.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
    const busy = ofApi('aws_api_gateway_stage').some((stage) => flow.of(stage) > 0);
    return [{ priceKey: 'cloudwatch.metric', quantity: busy ? methods * 5 : 0, basis: busy ? `detailed metrics: ${methods} method(s) × 5 metrics` : 'detailed metrics: none published without requests' }];
  },

  aws_apigatewayv2_stage: (stage, { inventory, flow, profile }) => {
    // HTTP APIs are metered in 512 KB increments. https://aws.amazon.com/api-gateway/pricing/
    const perRequest = units(profile.payloadBytes, 512 * 1024);
    const requests = flow.of(stage.address);
    const lines: LineSpec[] = [{ priceKey: 'apigateway.httpRequests', quantity: requests * perRequest, basis: `${traffic(flow, stage.address)} × ${perRequest}` }];
    if (block(stage.values, 'default_route_settings').detailed_metrics_enabled === true) {
      const api = linkTo(inventory, stage.address, 'api_id');
      const routes = inventory.links.filter((l) => l.to === api && l.attribute === 'api_id' && l.from.startsWith('aws_apigatewayv2_route.')).length;
      // Route-level metrics: 4xx, 5xx, Count, IntegrationLatency, Latency, DataProcessed.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
      lines.push({ priceKey: 'cloudwatch.metric', quantity: requests > 0 ? routes * 6 : 0, basis: requests > 0 ? `detailed metrics: ${routes} route(s) × 6 metrics` : 'detailed metrics: none published without requests' });
    }
    return lines;
  },

  aws_sqs_queue: (queue, { flow, profile }) => {
    if (queue.values.fifo_queue === true) throw new UnpricedError(queue.address, 'a FIFO queue');
    const messages = flow.of(queue.address);
    // Send, receive and delete per message, each billed per 64 KB chunk. https://aws.amazon.com/sqs/pricing/
    const chunks = units(profile.payloadBytes, 64 * 1024);
    return [{ priceKey: 'sqs.standardRequests', quantity: messages * 3 * chunks, basis: `messages: ${traffic(flow, queue.address)} × 3 requests × ${chunks}` }];
  },

  aws_secretsmanager_secret: (secret, { flow }) => [
    { priceKey: 'secretsmanager.secret', quantity: 1, basis: '1 secret' },
    { priceKey: 'secretsmanager.apiCalls', quantity: flow.of(secret.address), basis: `reads: ${traffic(flow, secret.address)}` },
  ],

  aws_sns_topic: () => [{ priceKey: 'sns.publishes', quantity: 0, basis: 'publishes on alarm state changes only (not estimated)' }],

  aws_cloudwatch_metric_alarm: (alarm) => {
    if (alarm.values.threshold_metric_id !== undefined) throw new UnpricedError(alarm.address, 'an anomaly detection alarm');
    // Alarms are billed per metric they evaluate (a metric-math alarm per metric in its expression),
    // at the high-resolution price when evaluated more often than every 60 s.
    // https://aws.amazon.com/cloudwatch/pricing/
    const queries = Array.isArray(alarm.values.metric_query) ? (alarm.values.metric_query as Record<string, unknown>[]) : [];
    const metrics = queries.length > 0 ? queries.filter((q) => q.metric !== undefined && (!Array.isArray(q.metric) || q.metric.length > 0)) : [alarm.values];
    const periods = metrics.map((m) => Number(m === alarm.values ? m.period : block(m, 'metric').period));
    const highResolution = periods.some((p) => p > 0 && p < 60);
    return [
      {
        priceKey: highResolution ? 'cloudwatch.highResolutionAlarmMetric' : 'cloudwatch.alarmMetric',
        quantity: metrics.length,
        basis: queries.length > 0 ? `metric math over ${metrics.length} metric(s)` : '1 metric',
      },
    ];
  },

  aws_cloudwatch_dashboard: () => [{ priceKey: 'cloudwatch.dashboard', quantity: 1, basis: '1 dashboard' }],

  aws_cloudwatch_log_group: (group, { flow, profile, hoursPerMonth }) => {
    const events = flow.of(group.address);
    const ingestedGb = (events * profile.logBytesPerRequest) / GIB;
    const retention = Number(group.values.retention_in_days ?? 0);
    const daysPerMonth = hoursPerMonth / 24;
    // Steady state: the group holds `retention` days of entries (a group that never expires grows by a month each month).
    const storedGb = retention > 0 ? (ingestedGb / daysPerMonth) * retention : ingestedGb;
    return [
      { priceKey: 'logs.ingestion', quantity: ingestedGb, basis: `entries: ${traffic(flow, group.address)} × ${profile.logBytesPerRequest} bytes` },
      { priceKey: 'logs.storage', quantity: storedGb, basis: retention > 0 ? `${retention} days kept` : 'never expires: one month kept, growing monthly' },
    ];
  },

  aws_s3_bucket: () => [{ priceKey: 's3.standardStorage', quantity: 0, basis: 'Terraform state files: kilobytes (not estimated)' }],
};

function traces(count: number, why: string): LineSpec {
  // The default sampling rule records every request up to one a second, then 5 %: an upper bound.
  // https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html
  return { priceKey: 'xray.traces', quantity: count, basis: `${n(count)} traces (${why})` };
}

function linkTo(inventory: Inventory, from: string, attribute: string): string | undefined {
  return inventory.links.find((l) => l.from === from && l.attribute === attribute)?.to;
}
