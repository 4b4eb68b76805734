/** Reading synthesized Terraform JSON: no cdktf needed, so suites that only read pay nothing to load it. */

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
};

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
