import { Construct } from 'constructs';
import { Lazy } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/** One IAM statement: exact actions on exact resources (the policy suite rejects wildcard actions). */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly conditions?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/**
 * An IAM policy document rendered by the provider, so the JSON is normalised and AWS's own
 * reformatting of the policy never shows up as a diff.
 */
export function policyDocument(
  scope: Construct,
  id: string,
  statements: readonly PolicyStatement[] | (() => readonly PolicyStatement[]),
): DataAwsIamPolicyDocument {
  const render = (list: readonly PolicyStatement[]) => list.map(toTerraformStatement);
  return new DataAwsIamPolicyDocument(scope, id, {
    // A function defers rendering to synth time, so statements can still be added after construction.
    statement:
      typeof statements === 'function'
        ? Lazy.anyValue({ produce: () => render(statements()) })
        : Lazy.anyValue({ produce: () => render(statements) }),
  });
}

function toTerraformStatement(s: PolicyStatement): Record<string, unknown> {
  return {
    sid: s.sid,
    effect: s.effect ?? 'Allow',
    actions: [...s.actions],
    // Trust policies carry no Resource element at all.
    resources: s.resources.length > 0 ? [...s.resources] : undefined,
    principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
  };
}

/** Trust policy letting one AWS service assume a role. */
export function serviceTrustPolicy(scope: Construct, id: string, service: string): DataAwsIamPolicyDocument {
  return policyDocument(scope, id, [
    { actions: ['sts:AssumeRole'], resources: [], principals: [{ type: 'Service', identifiers: [service] }] },
  ]);
}
