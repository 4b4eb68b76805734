import { block, Inventory, Link, PricedResource } from './inventory';
import { TrafficProfile } from './profile';

/**
 * Where a month of the profile's traffic goes in one stack, following the links the code wires:
 * each API stage takes `requestsPerDay`; each request stores one item in every table of the stack,
 * sends one message to each work queue and puts `recordsPerRequest` records, shared among the
 * streams it writes; a table's change stream feeds its Kinesis destination; event source mappings
 * invoke a function once per record or message (an upper bound: batching makes fewer). With no
 * requests (the idle month) only scheduled work remains: secret rotation.
 */
export interface Flow {
  readonly requests: number;
  /** Monthly units per resource address (requests, invocations, records, messages, writes, reads, log events, traces). */
  readonly of: (address: string) => number;
  /** Why a resource sees the units it does, for the report. */
  readonly why: (address: string) => string;
}

/** The four invocations Secrets Manager makes per rotation (createSecret, setSecret, testSecret, finishSecret).
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html */
export const ROTATION_STEPS = 4;

export function monthlyRequests(profile: TrafficProfile, hoursPerMonth: number): number {
  return (profile.requestsPerDay * hoursPerMonth) / 24;
}

export function trafficFlow(inventory: Inventory, requests: number, profile: TrafficProfile, hoursPerMonth: number): Flow {
  const byAddress = new Map(inventory.resources.map((r) => [r.address, r]));
  const ofType = (...types: string[]): PricedResource[] => inventory.resources.filter((r) => types.includes(r.type));
  const incoming = (to: string, fromType: string, attribute?: string): Link[] =>
    inventory.links.filter((l) => l.to === to && byAddress.get(l.from)?.type === fromType && (attribute === undefined || l.attribute === attribute));
  const outgoing = (from: string, attribute: string): Link[] => inventory.links.filter((l) => l.from === from && l.attribute === attribute);
  const units = new Map<string, number>();
  const reasons = new Map<string, string>();
  const set = (address: string, value: number, why: string): void => {
    units.set(address, value);
    reasons.set(address, why);
  };

  const stages = ofType('aws_api_gateway_stage', 'aws_apigatewayv2_stage');
  const apiRequests = stages.length > 0 ? requests : 0;
  for (const stage of stages) set(stage.address, requests, 'requests to the API');

  for (const table of ofType('aws_dynamodb_table')) set(table.address, apiRequests, apiRequests > 0 ? 'one item written per API request' : 'no API requests');

  const streams = ofType('aws_kinesis_stream');
  const tableFed = (stream: PricedResource): Link | undefined => incoming(stream.address, 'aws_dynamodb_kinesis_streaming_destination', 'stream_arn')[0];
  const apiFed = streams.filter((s) => !tableFed(s));
  for (const stream of streams) {
    const destination = tableFed(stream);
    if (destination) {
      const table = outgoing(destination.from, 'table_name')[0]?.to;
      set(stream.address, table ? units.get(table) ?? 0 : 0, 'one change record per table write');
    } else {
      set(stream.address, (apiRequests * profile.recordsPerRequest) / apiFed.length, `${profile.recordsPerRequest} record(s) per API request, shared by ${apiFed.length} stream(s)`);
    }
  }

  for (const queue of ofType('aws_sqs_queue')) {
    const failureOnly = incoming(queue.address, 'aws_sqs_queue', 'redrive_policy').length > 0 || incoming(queue.address, 'aws_lambda_event_source_mapping', 'destination_config').length > 0;
    if (failureOnly) set(queue.address, 0, 'receives failed messages only');
    else set(queue.address, apiRequests, apiRequests > 0 ? 'one message per API request' : 'no API requests');
  }

  const tracedRestApi = stages.some((s) => s.type === 'aws_api_gateway_stage' && s.values.xray_tracing_enabled === true);
  for (const fn of ofType('aws_lambda_function')) {
    const parts: [number, string, boolean][] = [];
    for (const rotation of incoming(fn.address, 'aws_secretsmanager_secret_rotation', 'rotation_lambda_arn')) {
      const days = Number(block(byAddress.get(rotation.from)!.values, 'rotation_rules').automatically_after_days) || 30;
      parts.push([(ROTATION_STEPS * hoursPerMonth) / 24 / days, `${ROTATION_STEPS} invocations per rotation every ${days} days`, true]);
    }
    for (const mapping of incoming(fn.address, 'aws_lambda_event_source_mapping', 'function_name')) {
      const source = outgoing(mapping.from, 'event_source_arn')[0]?.to;
      parts.push([source ? units.get(source) ?? 0 : 0, 'one invocation per record or message (upper bound)', true]);
    }
    const authorizers = [...incoming(fn.address, 'aws_apigatewayv2_authorizer', 'authorizer_uri'), ...incoming(fn.address, 'aws_api_gateway_authorizer', 'authorizer_uri')];
    for (const authorizer of authorizers) {
      // Results are cached per identity for the TTL; one caller identity (one login) is assumed.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
      const ttl = Number(byAddress.get(authorizer.from)!.values.authorizer_result_ttl_in_seconds) || 0;
      const cap = ttl > 0 ? (hoursPerMonth * 3600) / ttl : Infinity;
      parts.push([Math.min(apiRequests, cap), ttl > 0 ? `one per API request, at most one per ${ttl} s result cache` : 'one per API request', true]);
    }
    const invokedByApi = authorizers.length === 0 && inventory.links.some((l) => l.to === fn.address && l.attribute === 'function_name' && byAddress.get(l.from)?.type === 'aws_lambda_permission' && byAddress.get(l.from)?.values.principal === 'apigateway.amazonaws.com');
    if (invokedByApi) parts.push([apiRequests, 'one per API request', !tracedRestApi]);
    const total = parts.reduce((sum, [n]) => sum + n, 0);
    set(fn.address, total, parts.length > 0 ? parts.map(([, why]) => why).join('; ') : 'nothing in the stack invokes it');
    // A request the REST API traces carries the function in the same trace; everything else starts its own.
    const traced = block(fn.values, 'tracing_config').mode === 'Active' ? parts.filter(([, , own]) => own).reduce((sum, [n]) => sum + n, 0) : 0;
    units.set(`traces:${fn.address}`, traced);
  }

  for (const secret of ofType('aws_secretsmanager_secret')) {
    const readers = incoming(secret.address, 'aws_lambda_function', 'environment');
    set(secret.address, readers.reduce((sum, l) => sum + (units.get(l.from) ?? 0), 0), readers.length > 0 ? 'at most one read per invocation of the functions that read it' : 'no function reads it');
  }
  for (const key of ofType('aws_kms_key')) {
    const secrets = incoming(key.address, 'aws_secretsmanager_secret', 'kms_key_id');
    set(key.address, secrets.reduce((sum, l) => sum + (units.get(l.from) ?? 0), 0), secrets.length > 0 ? 'one Decrypt per read of the secret it encrypts' : 'used only when an alarm notifies');
  }
  for (const group of ofType('aws_cloudwatch_log_group')) {
    const writers = [...incoming(group.address, 'aws_lambda_function', 'logging_config'), ...inventory.links.filter((l) => l.to === group.address && l.attribute === 'access_log_settings')];
    const events = writers.reduce((sum, l) => sum + (units.get(l.from) ?? 0), 0);
    set(group.address, events, writers.length > 0 ? 'one entry per request or invocation it logs' : 'errors only (not estimated)');
  }
  return { requests, of: (address) => units.get(address) ?? 0, why: (address) => reasons.get(address) ?? '' };
}
