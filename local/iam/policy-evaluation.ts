/**
 * AWS's policy evaluation logic for a request within one account, for the policy types the local
 * plane meets: identity policies (inline and attached) and resource policies (a KMS key policy, a
 * queue policy). An explicit Deny in any of them wins; else an Allow in an identity policy, or in a
 * resource policy that names the principal, allows; else the request is implicitly denied.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * Element semantics: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 * Not evaluated (the project uses none): policy variables, permissions boundaries, session
 * policies, SCPs. A condition operator not implemented here fails the evaluation, never passes.
 */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement | readonly Statement[];
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | number | readonly (string | boolean | number)[]>>>>;
}

export interface AccessRequest {
  /** `service:Action`, e.g. `kinesis:GetRecords`. */
  readonly action: string;
  readonly resource: string;
  /** The caller's ARN (a role session is matched by its role's ARN too) and account. */
  readonly principal: { readonly arns: readonly string[]; readonly accountId: string };
  /** Condition keys of the request (`aws:SecureTransport`, `kms:ViaService`, ...): case-insensitive names. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export class PolicyEvaluationError extends Error {}

export interface Policies {
  readonly identity: readonly PolicyDocument[];
  readonly resource?: readonly PolicyDocument[];
}

export function evaluate(request: AccessRequest, policies: Policies): Decision {
  const identity = policies.identity.flatMap(statementsOf);
  const resource = (policies.resource ?? []).flatMap(statementsOf);
  const applies = (s: Statement, checkPrincipal: boolean) => matchesRequest(s, request) && (!checkPrincipal || principalMatches(s, request));
  if (identity.some((s) => s.Effect === 'Deny' && applies(s, false)) || resource.some((s) => s.Effect === 'Deny' && applies(s, true))) return 'explicit-deny';
  if (identity.some((s) => s.Effect === 'Allow' && applies(s, false)) || resource.some((s) => s.Effect === 'Allow' && applies(s, true))) return 'allow';
  return 'implicit-deny';
}

function statementsOf(policy: PolicyDocument): readonly Statement[] {
  return Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement as Statement];
}

const list = <T>(value: T | readonly T[] | undefined): readonly T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value as T]);

function matchesRequest(statement: Statement, request: AccessRequest): boolean {
  const actionMatches = (patterns: readonly string[]) => patterns.some((p) => wildcard(p, request.action, true));
  const actionApplies = statement.Action !== undefined ? actionMatches(list(statement.Action)) : statement.NotAction !== undefined && !actionMatches(list(statement.NotAction));
  if (!actionApplies) return false;
  const resourceMatches = (patterns: readonly string[]) => patterns.some((p) => wildcard(p, request.resource, false));
  if (statement.Resource !== undefined && !resourceMatches(list(statement.Resource))) return false;
  if (statement.NotResource !== undefined && resourceMatches(list(statement.NotResource))) return false;
  return conditionsHold(statement, request.context ?? {});
}

/** A resource policy statement applies to `*`, to the principal's ARN, or to its account (`123456789012` or `arn:...:root`). */
function principalMatches(statement: Statement, request: AccessRequest): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!principal) return false;
  const { arns, accountId } = request.principal;
  return list(principal.AWS).some((p) => p === '*' || arns.includes(p) || p === accountId || p === `arn:aws:iam::${accountId}:root`);
}

/** `*` matches any run of characters, `?` one; actions compare case-insensitively, ARNs case-sensitively. */
export function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

type Comparison = (actual: string, expected: string) => boolean;

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
const COMPARISONS: Readonly<Record<string, { readonly compare: Comparison; readonly negated: boolean }>> = {
  StringEquals: { compare: (a, e) => a === e, negated: false },
  StringNotEquals: { compare: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { compare: (a, e) => wildcard(e, a, false), negated: false },
  StringNotLike: { compare: (a, e) => wildcard(e, a, false), negated: true },
  ArnEquals: { compare: (a, e) => wildcard(e, a, false), negated: false },
  ArnLike: { compare: (a, e) => wildcard(e, a, false), negated: false },
  ArnNotEquals: { compare: (a, e) => wildcard(e, a, false), negated: true },
  ArnNotLike: { compare: (a, e) => wildcard(e, a, false), negated: true },
  Bool: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

function conditionsHold(statement: Statement, context: Readonly<Record<string, string | readonly string[]>>): boolean {
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), list(v)]));
  for (const [operatorName, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expectedValues] of Object.entries(keys)) {
      const actual = lowerContext.get(key.toLowerCase());
      if (!conditionHolds(operatorName, actual, list(expectedValues).map(String), statement.Sid)) return false;
    }
  }
  return true;
}

function conditionHolds(operatorName: string, actual: readonly string[] | undefined, expected: readonly string[], sid: string | undefined): boolean {
  if (operatorName === 'Null') {
    // true: the key must be absent; false: present.
    return expected.some((e) => (e.toLowerCase() === 'true') === (actual === undefined));
  }
  const match = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/.exec(operatorName);
  const operator = match ? COMPARISONS[match[2]] : undefined;
  if (!match || !operator) {
    throw new PolicyEvaluationError(`The local IAM evaluation does not implement the condition operator ${operatorName}${sid ? ` (statement ${sid})` : ''}; the request is refused rather than guessed.`);
  }
  const [, setOperator, , ifExists] = match;
  if (actual === undefined) return ifExists !== undefined || operator.negated ? true : setOperator === 'ForAllValues';
  const valueMatches = (value: string) => expected.some((e) => operator.compare(value, e));
  if (setOperator === 'ForAllValues') return actual.every((v) => (operator.negated ? !valueMatches(v) : valueMatches(v)));
  if (operator.negated) return !actual.some(valueMatches);
  return actual.some(valueMatches);
}

/**
 * A KMS key: its key policy is the primary control. A key policy statement naming the principal
 * (or `*`) allows by itself; one naming the account (`arn:aws:iam::<account>:root`) only lets the
 * account's IAM policies decide, so the identity policies must allow too. An explicit Deny in
 * either wins.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 * https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html
 */
export function evaluateKeyAccess(request: AccessRequest, identity: readonly PolicyDocument[], keyPolicy: PolicyDocument): Decision {
  const { accountId } = request.principal;
  const forAccount = (s: Statement) => s.Principal !== '*' && list(s.Principal?.AWS).some((p) => p === accountId || p === `arn:aws:iam::${accountId}:root`);
  const keyStatements = statementsOf(keyPolicy).filter((s) => matchesRequest(s, request));
  const identityStatements = identity.flatMap(statementsOf).filter((s) => matchesRequest(s, request));
  if (identityStatements.some((s) => s.Effect === 'Deny') || keyStatements.some((s) => s.Effect === 'Deny' && (forAccount(s) || principalMatches(s, request)))) return 'explicit-deny';
  const allows = keyStatements.filter((s) => s.Effect === 'Allow');
  if (allows.some((s) => !forAccount(s) && principalMatches(s, request))) return 'allow';
  if (allows.some(forAccount) && identityStatements.some((s) => s.Effect === 'Allow')) return 'allow';
  return 'implicit-deny';
}
