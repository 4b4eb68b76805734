import { App, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { loadConfig, PipelinesConfig } from '../../lib/config';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';

/** The default configuration, as `cdktf synth` sees it with no settings at all. */
export function testConfig(overrides: Record<string, string> = {}): PipelinesConfig {
  return loadConfig({ env: overrides });
}

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
};

/** Synthesizes one stack built by `build` inside a fresh test app and returns its parsed JSON. */
export function synthStack(build: (app: App) => TerraformStack): TfJson {
  const app = Testing.app();
  const stack = build(app);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** All resources of one type: logical id -> config. */
export function resourcesOf(tf: TfJson, type: string): Record<string, Record<string, unknown>> {
  return tf.resource?.[type] ?? {};
}

/** The only resource of `type` (fails if there are none or several). */
export function onlyResource(tf: TfJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(tf, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** Data sources of one type. */
export function dataOf(tf: TfJson, type: string): Record<string, Record<string, unknown>> {
  return tf.data?.[type] ?? {};
}

/** `${aws_dynamodb_table.X.arn}`-style reference to an attribute of a resource, by logical id. */
export function ref(type: string, logicalId: string, attribute: string): string {
  return `\${${type}.${logicalId}.${attribute}}`;
}

/** Logical id of the only resource of `type` whose config matches `predicate`. */
export function logicalIdOf(tf: TfJson, type: string, predicate: (config: Record<string, unknown>) => boolean = () => true): string {
  const matches = Object.entries(resourcesOf(tf, type)).filter(([, config]) => predicate(config));
  if (matches.length !== 1) throw new Error(`expected exactly one matching ${type}, found ${matches.length}`);
  return matches[0][0];
}

/** Statements of the IAM policy document that a resource's `policy` attribute points at. */
export function policyStatements(tf: TfJson, policyRef: unknown): Record<string, unknown>[] {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(policyRef));
  if (!match) throw new Error(`not a reference to an aws_iam_policy_document: ${String(policyRef)}`);
  const doc = dataOf(tf, 'aws_iam_policy_document')[match[1]];
  if (!doc) throw new Error(`policy document ${match[1]} not found`);
  return doc.statement as Record<string, unknown>[];
}

/** An empty stack with an AWS provider, for testing one construct on its own. */
export function testStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** A small real handler, for constructs that need a function. */
export function testFunction(stack: TerraformStack, id = 'Fn', timeout?: number): NodejsFunction {
  return new NodejsFunction(stack, id, { functionName: `test-${id.toLowerCase()}`, entry: 'lambdas/webhook/consumer.ts', logRetentionDays: 7, timeout });
}
