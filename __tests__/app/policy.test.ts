import { allStacks } from '../support/all-stacks';
import { TfJson } from '../support/synth';

/**
 * Rules every stack must keep, checked on the synthesized Terraform of every stack the app builds,
 * so a new stack is covered the moment it is registered in stacks/index.ts.
 */

// Actions whose API has no resource-level permissions: AWS only accepts "*" for them.
const UNSCOPABLE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'kinesis:ListStreams',
  'secretsmanager:GetRandomPassword',
]);

interface Statement {
  readonly stack: string;
  readonly where: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
  /** In a KMS key policy, "*" is the key itself, not every resource. */
  readonly keyPolicy: boolean;
}

function statementsOf(stack: string, tf: TfJson): Statement[] {
  const found: Statement[] = [];
  const keyPolicies = new Set(Object.values(tf.resource?.aws_kms_key ?? {}).map((k) => String(k.policy)));
  for (const [id, doc] of Object.entries(tf.data?.aws_iam_policy_document ?? {})) {
    const keyPolicy = keyPolicies.has(`\${data.aws_iam_policy_document.${id}.json}`);
    for (const s of (doc.statement as Record<string, unknown>[] | undefined) ?? []) {
      found.push({ stack, where: `data.aws_iam_policy_document.${id}`, effect: String(s.effect ?? 'Allow'), actions: (s.actions as string[]) ?? [], resources: (s.resources as string[]) ?? [], keyPolicy });
    }
  }
  // Literal JSON policies bypass the document data source; catch them too.
  for (const [type, resources] of Object.entries(tf.resource ?? {})) {
    for (const [id, config] of Object.entries(resources)) {
      for (const attribute of ['policy', 'assume_role_policy']) {
        const value = config[attribute];
        if (typeof value !== 'string' || !value.trim().startsWith('{')) continue;
        const parsed = JSON.parse(value) as { Statement: Record<string, unknown>[] | Record<string, unknown> };
        for (const s of [parsed.Statement].flat()) {
          found.push({ stack, where: `${type}.${id}.${attribute}`, effect: String(s.Effect ?? 'Allow'), actions: [s.Action ?? []].flat() as string[], resources: [s.Resource ?? []].flat() as string[], keyPolicy: type === 'aws_kms_key' });
        }
      }
    }
  }
  return found;
}

const stacks = [...allStacks().entries()];
const resourcesOf = (tf: TfJson, type: string) => Object.entries(tf.resource?.[type] ?? {});

describe.each(stacks)('policy: %s', (stack, tf) => {
  const allows = statementsOf(stack, tf).filter((s) => s.effect === 'Allow');

  it('grants no wildcard action', () => {
    const wildcard = allows.flatMap((s) => s.actions.filter((a) => a.includes('*')).map((a) => `${s.where}: ${a}`));
    expect(wildcard).toEqual([]);
  });

  it('grants "*" resources only for actions AWS cannot scope', () => {
    const offending = allows
      .filter((s) => s.resources.includes('*') && !s.keyPolicy)
      .flatMap((s) => s.actions.filter((a) => !UNSCOPABLE_ACTIONS.has(a)).map((a) => `${s.where}: ${a} on *`));
    expect(offending).toEqual([]);
  });

  it('names at least one resource in every permission statement', () => {
    const trust = (s: Statement) => s.actions.every((a) => a.startsWith('sts:AssumeRole'));
    expect(allows.filter((s) => !trust(s) && s.resources.length === 0).map((s) => s.where)).toEqual([]);
  });

  it('gives every alarm alarm and OK actions, so an alarm that fires reaches someone', () => {
    for (const [id, alarm] of resourcesOf(tf, 'aws_cloudwatch_metric_alarm')) {
      expect({ id, alarm: alarm.alarm_actions, ok: alarm.ok_actions }).toEqual({
        id,
        alarm: expect.arrayContaining([expect.stringMatching(/^(\$\{aws_sns_topic\.[^.]+\.arn\}|arn:aws[-a-z]*:sns:.+)$/)]),
        ok: expect.arrayContaining([expect.stringMatching(/^(\$\{aws_sns_topic\.[^.]+\.arn\}|arn:aws[-a-z]*:sns:.+)$/)]),
      });
    }
  });

  it('notifies INSUFFICIENT_DATA on every alarm whose missing data means broken', () => {
    const silenceIsBroken = resourcesOf(tf, 'aws_cloudwatch_metric_alarm').filter(([, a]) => (a.treat_missing_data ?? 'missing') === 'missing');
    for (const [id, alarm] of silenceIsBroken) {
      expect({ id, actions: alarm.insufficient_data_actions }).toEqual({ id, actions: [expect.stringMatching(/^(\$\{aws_sns_topic\.[^.]+\.arn\}|arn:aws[-a-z]*:sns:.+)$/)] });
    }
  });

  it('encrypts every alarm topic at rest with a key CloudWatch may use', () => {
    for (const [id, topic] of resourcesOf(tf, 'aws_sns_topic')) {
      expect({ id, key: topic.kms_master_key_id }).toEqual({ id, key: expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/) });
      const keyId = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(String(topic.kms_master_key_id))![1];
      const keyPolicy = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(tf.resource?.aws_kms_key?.[keyId]?.policy))?.[1];
      const statements = (tf.data?.aws_iam_policy_document?.[keyPolicy ?? '']?.statement as Record<string, unknown>[] | undefined) ?? [];
      const forCloudWatch = statements.find((s) => JSON.stringify(s.principals ?? []).includes('cloudwatch.amazonaws.com'));
      expect({ id, actions: forCloudWatch?.actions }).toEqual({ id, actions: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']) });
    }
  });

  it('encrypts every table at rest', () => {
    for (const [id, table] of resourcesOf(tf, 'aws_dynamodb_table')) {
      expect({ id, sse: table.server_side_encryption }).toEqual({ id, sse: expect.objectContaining({ enabled: true }) });
    }
  });

  it('encrypts every stream at rest with KMS', () => {
    for (const [id, stream] of resourcesOf(tf, 'aws_kinesis_stream')) {
      expect({ id, type: stream.encryption_type, key: typeof stream.kms_key_id }).toEqual({ id, type: 'KMS', key: 'string' });
    }
  });

  it('encrypts every queue at rest', () => {
    for (const [id, queue] of resourcesOf(tf, 'aws_sqs_queue')) {
      expect({ id, encrypted: queue.sqs_managed_sse_enabled === true || typeof queue.kms_master_key_id === 'string' }).toEqual({ id, encrypted: true });
    }
  });

  it('encrypts every bucket at rest with a default encryption rule', () => {
    const encrypted = resourcesOf(tf, 'aws_s3_bucket_server_side_encryption_configuration').map(([, c]) => String(c.bucket));
    for (const [id] of resourcesOf(tf, 'aws_s3_bucket')) {
      expect(encrypted).toContain(`\${aws_s3_bucket.${id}.id}`);
    }
  });

  it('keeps secret values out of the configuration', () => {
    for (const [id, version] of resourcesOf(tf, 'aws_secretsmanager_secret_version')) {
      expect({ id, literal: typeof version.secret_string === 'string' && !String(version.secret_string).startsWith('${') }).toEqual({ id, literal: false });
    }
    expect(JSON.stringify(tf)).not.toMatch(/"(password|secret_string)":\s*"(?!\$\{)/i);
  });

  it('gives every log group a retention', () => {
    for (const [id, group] of resourcesOf(tf, 'aws_cloudwatch_log_group')) {
      expect({ id, retention: typeof group.retention_in_days }).toEqual({ id, retention: 'number' });
    }
  });

  it('writes access logs and throttles on every API stage', () => {
    for (const [id, stage] of resourcesOf(tf, 'aws_api_gateway_stage')) {
      expect({ id, logs: stage.access_log_settings }).toEqual({ id, logs: expect.objectContaining({ destination_arn: expect.any(String), format: expect.any(String) }) });
      const throttled = resourcesOf(tf, 'aws_api_gateway_method_settings').some(
        ([, s]) => s.stage_name === `\${aws_api_gateway_stage.${id}.stage_name}` && (s.settings as Record<string, unknown>).throttling_rate_limit !== undefined,
      );
      expect({ id, throttled }).toEqual({ id, throttled: true });
    }
    for (const [id, stage] of resourcesOf(tf, 'aws_apigatewayv2_stage')) {
      expect({ id, logs: stage.access_log_settings }).toEqual({ id, logs: expect.objectContaining({ destination_arn: expect.any(String), format: expect.any(String) }) });
      expect({ id, throttle: stage.default_route_settings }).toEqual({ id, throttle: expect.objectContaining({ throttling_rate_limit: expect.any(Number), throttling_burst_limit: expect.any(Number) }) });
    }
  });

  it('redeploys every REST API when its definition changes', () => {
    for (const [id, deployment] of resourcesOf(tf, 'aws_api_gateway_deployment')) {
      expect({ id, triggers: deployment.triggers }).toEqual({ id, triggers: expect.objectContaining({ definition: expect.stringMatching(/^[0-9a-f]{64}$/) }) });
    }
  });

  it('traces every function and logs it to a group with retention', () => {
    for (const [id, fn] of resourcesOf(tf, 'aws_lambda_function')) {
      expect({ id, tracing: fn.tracing_config, logGroup: (fn.logging_config as Record<string, unknown> | undefined)?.log_group }).toEqual({
        id,
        tracing: { mode: 'Active' },
        logGroup: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\./),
      });
    }
  });

  it('reports partial batch failures and has a failure destination for every event source', () => {
    for (const [id, mapping] of resourcesOf(tf, 'aws_lambda_event_source_mapping')) {
      expect({ id, types: mapping.function_response_types }).toEqual({ id, types: ['ReportBatchItemFailures'] });
      const source = String(mapping.event_source_arn);
      const queue = /^\$\{aws_sqs_queue\.([^.]+)\.arn\}$/.exec(source);
      if (queue) {
        // SQS sources dead-letter through the queue's redrive policy.
        expect({ id, redrive: typeof tf.resource?.aws_sqs_queue?.[queue[1]]?.redrive_policy }).toEqual({ id, redrive: 'string' });
      } else {
        const onFailure = (mapping.destination_config as { on_failure?: { destination_arn?: string } } | undefined)?.on_failure?.destination_arn;
        expect({ id, onFailure }).toEqual({ id, onFailure: expect.any(String) });
      }
    }
  });
});

it('covers every stack the app builds', () => {
  expect(stacks.map(([name]) => name)).toEqual(expect.arrayContaining(['state-backend', 'apigw-lambda-dynamodb-customers']));
});
