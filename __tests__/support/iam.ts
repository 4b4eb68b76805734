import { policyStatements, ref, resourcesOf, TfJson } from './synth';

/** IAM roles and their policies in synthesized JSON, found the way a reviewer would: by name or by reference. */

/** Statements of the one inline policy of role `roleId` (a logical id). */
export function rolePolicyStatements(tf: TfJson, roleId: string): Record<string, unknown>[] {
  const policies = Object.values(resourcesOf(tf, 'aws_iam_role_policy')).filter((p) => p.role === ref('aws_iam_role', roleId, 'id'));
  if (policies.length !== 1) throw new Error(`expected one inline policy on ${roleId}, found ${policies.length}`);
  return policyStatements(tf, policies[0].policy);
}

/** `${aws_iam_role.X.arn}` -> `X`. */
export function roleIdOf(roleRef: unknown): string {
  const roleId = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(String(roleRef))?.[1];
  if (!roleId) throw new Error(`not a reference to a role's ARN: ${String(roleRef)}`);
  return roleId;
}

/** Statements of the inline policy of the only role whose name ends with `nameSuffix`. */
export function roleStatements(tf: TfJson, nameSuffix: string): Record<string, unknown>[] {
  const roles = Object.entries(resourcesOf(tf, 'aws_iam_role')).filter(([, r]) => String(r.name).endsWith(nameSuffix));
  if (roles.length !== 1) throw new Error(`expected one role named *${nameSuffix}, found ${roles.length}`);
  return rolePolicyStatements(tf, roles[0][0]);
}

/** Statements of the execution role's inline policy of function `fnId` (a logical id). */
export function functionPermissions(tf: TfJson, fnId: string): Record<string, unknown>[] {
  return rolePolicyStatements(tf, roleIdOf(resourcesOf(tf, 'aws_lambda_function')[fnId].role));
}

/** The trust policy of role `roleId`. */
export function trustStatements(tf: TfJson, roleId: string): Record<string, unknown>[] {
  return policyStatements(tf, resourcesOf(tf, 'aws_iam_role')[roleId].assume_role_policy);
}

/** The services the trust policy of role `roleId` lets assume it. */
export function trustedServices(tf: TfJson, roleId: string): unknown {
  const [statement] = trustStatements(tf, roleId);
  return (statement.principals as { identifiers: string[] }[])[0].identifiers;
}
