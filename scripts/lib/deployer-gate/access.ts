import { PolicyDocument } from '../../../local/iam/policy-evaluation';
import { Operation } from './operations';
import { Input } from './request';
import { resourcesOf, Scope } from './resources';

/**
 * Every authorization one request needs: its own action on each resource it names, plus the
 * rights AWS checks on the caller for what the request hands to a service (a role it passes, the
 * function a rotation invokes, the stream a table writes to), each with the condition keys the
 * request supplies. A key the request cannot supply is left out, so a condition on it is false
 * unless it is an ...IfExists (policy-evaluation.ts), as on AWS:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
 */
export interface Access {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  /** A KMS key's own policy, which KMS evaluates with the identity policies. */
  readonly keyPolicy?: PolicyDocument;
}

/** What the gate must read from the emulator (as its root user) to fill a request's context. */
export interface Lookups {
  /** A KMS key's ARN and tags, from its id, ARN or alias. */
  key(keyId: string): Promise<{ readonly arn: string; readonly tags: Readonly<Record<string, string>>; readonly policy?: PolicyDocument } | undefined>;
  /** The function ARN of an event source mapping. */
  mappingFunction(uuid: string): Promise<string | undefined>;
}

/** Passing a role to a service is authorized as iam:PassRole on the role, with iam:PassedToService. */
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
interface PassedRole {
  readonly operations: readonly string[];
  readonly role: (input: Input, path: string) => string | undefined;
  readonly to: string;
}

const field = (name: string) => (input: Input) => (typeof input[name] === 'string' ? (input[name] as string) : undefined);
const patched = (name: string) => (input: Input) =>
  (input.patchOperations as { path?: string; value?: string }[] | undefined)?.find((o) => o.path === `/${name}`)?.value;

const PASSED_ROLES: readonly PassedRole[] = [
  { operations: ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'], role: field('Role'), to: 'lambda.amazonaws.com' },
  // The account's CloudWatch role (PATCH /account), a REST integration's credentials, an HTTP API integration's.
  { operations: ['apigateway:PATCH'], role: (input, path) => (path === '/account' ? patched('cloudwatchRoleArn')(input) : patched('credentials')(input)), to: 'apigateway.amazonaws.com' },
  { operations: ['apigateway:PUT'], role: field('credentials'), to: 'apigateway.amazonaws.com' },
  { operations: ['apigateway:POST', 'apigateway:PATCH'], role: field('credentialsArn'), to: 'apigateway.amazonaws.com' },
];

/** Rights checked on the caller for a resource the request hands over, by request field. */
const HANDED_OVER: Readonly<Record<string, readonly { readonly field: string; readonly actions: readonly string[] }[]>> = {
  // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
  'secretsmanager:RotateSecret': [{ field: 'RotationLambdaARN', actions: ['lambda:InvokeFunction'] }],
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds_iam.html
  'dynamodb:EnableKinesisStreamingDestination': [{ field: 'StreamArn', actions: ['kinesis:PutRecords', 'kinesis:DescribeStream'] }],
};

// STS answers GetCallerIdentity to every caller: "No permissions are required to perform this operation."
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
const WITHOUT_AUTHORIZATION = new Set(['sts:GetCallerIdentity']);

/** `caller`: the IAM user who signed, whom IAM's user actions mean when they name no user (e.g. GetUser). */
export async function accessesOf(op: Operation, path: string, scope: Scope, lookups: Lookups, caller: string): Promise<Access[] | string> {
  const action = `${op.service}:${op.operation}`;
  if (WITHOUT_AUTHORIZATION.has(action)) return [];
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html: "If you do not specify a user name,
  // IAM determines the user name implicitly based on the AWS access key ID used to sign the request".
  const resolved = await withResolvedKey(op, lookups);
  const input = op.service === 'iam' && resolved.UserName === undefined ? { ...resolved, UserName: caller } : resolved;
  const own = op.protocol === 'apigateway' ? { arns: [apiGatewayArn(path, scope)], conditionKeys: ['aws:RequestTag/${TagKey}', 'aws:TagKeys'] } : await resourcesOf(op.service, op.operation, input, scope);
  if (typeof own === 'string') return own;
  const context = { ...requestTags(input), ...(await serviceContext(action, input, lookups, scope)) };
  // A mapping already gone has no function to condition on: Lambda's not-found answer is left to the
  // emulator, as the provider's delete waiter polls until it gets it. What AWS answers here (not found,
  // or AccessDenied for the missing lambda:FunctionArn) is not documented: README lists it as unchecked.
  if (action.includes('EventSourceMapping') && typeof input.UUID === 'string' && context['lambda:FunctionArn'] === undefined) return [];
  const accesses: Access[] = [];
  for (const resource of own.arns) {
    const key = op.service === 'kms' && resource.includes(':key/') ? await lookups.key(resource) : undefined;
    const resourceTags = Object.fromEntries(Object.entries(key?.tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    accesses.push({ action, resource, context: accepted({ ...context, ...resourceTags }, own.conditionKeys), ...(key?.policy ? { keyPolicy: key.policy } : {}) });
  }
  for (const passed of PASSED_ROLES) {
    const role = passed.operations.includes(action) ? passed.role(input, path.replace(/^\/v2/, '')) : undefined;
    if (role) accesses.push({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': passed.to } });
  }
  for (const handed of HANDED_OVER[action] ?? []) {
    const resource = input[handed.field];
    if (typeof resource === 'string') accesses.push(...handed.actions.map((a) => ({ action: a, resource, context: {} })));
  }
  return accesses;
}

/**
 * API Gateway's IAM actions are the HTTP methods, on the resource path of the region (v2 paths
 * without their `/v2`): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-create-and-manage-api.html
 */
export function apiGatewayArn(path: string, scope: Scope): string {
  return `arn:${scope.partition}:apigateway:${scope.region}::${decodeURIComponent(path.replace(/^\/v2(?=\/)/, ''))}`;
}

/** A KMS alias names no key ARN: the key it points to is read. */
async function withResolvedKey(op: Operation, lookups: Lookups): Promise<Input> {
  if (op.service !== 'kms') return op.input;
  const resolved: Record<string, unknown> = { ...op.input };
  for (const name of ['KeyId', 'TargetKeyId']) {
    const id = op.input[name];
    if (typeof id === 'string' && /(^|:)alias\//.test(id)) {
      resolved[name] = (await lookups.key(id))?.arn;
      if (name === 'KeyId') resolved.RequestAlias = id.slice(id.indexOf('alias/'));
    }
  }
  return resolved;
}

async function serviceContext(action: string, input: Input, lookups: Lookups, scope: Scope): Promise<Record<string, string>> {
  const context: Record<string, string> = {};
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-request-alias
  if (action.startsWith('kms:') && typeof input.RequestAlias === 'string') context['kms:RequestAlias'] = input.RequestAlias;
  for (const [key, name] of [['iam:PolicyARN', 'PolicyArn'], ['iam:AWSServiceName', 'AWSServiceName']] as const) {
    if (typeof input[name] === 'string') context[key] = input[name] as string;
  }
  if (action === 'lambda:CreateEventSourceMapping' && typeof input.FunctionName === 'string') {
    const name = input.FunctionName;
    context['lambda:FunctionArn'] = name.startsWith('arn:') ? name : `arn:${scope.partition}:lambda:${scope.region}:${scope.account}:function:${name}`;
  } else if (action.includes('EventSourceMapping') && typeof input.UUID === 'string') {
    const functionArn = await lookups.mappingFunction(input.UUID);
    if (functionArn) context['lambda:FunctionArn'] = functionArn;
  }
  return context;
}

/** aws:RequestTag/<key> and aws:TagKeys from the tags a request sets, in each protocol's shape. */
export function requestTags(input: Input): Record<string, string | readonly string[]> {
  const tags: Record<string, string> = {};
  for (const name of ['Tags', 'tags']) {
    const value = input[name];
    if (Array.isArray(value)) {
      for (const tag of value as Record<string, unknown>[]) {
        const key = tag.Key ?? tag.TagKey;
        const tagValue = tag.Value ?? tag.TagValue;
        if (typeof key === 'string') tags[key] = String(tagValue ?? '');
      }
    } else if (value && typeof value === 'object') {
      for (const [key, tagValue] of Object.entries(value)) tags[key] = String(tagValue);
    }
  }
  // awsQuery: Tags.member.N.Key / Tags.member.N.Value
  for (const [name, key] of Object.entries(input)) {
    const match = /^Tags\.member\.(\d+)\.Key$/.exec(name);
    if (match && typeof key === 'string') tags[key] = String(input[`Tags.member.${match[1]}.Value`] ?? '');
  }
  if (Object.keys(tags).length === 0) return {};
  return { ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': Object.keys(tags) };
}

/** Only the condition keys the action or its resource types accept (plus the global aws:Principal* keys) reach the evaluation. */
function accepted(context: Readonly<Record<string, string | readonly string[]>>, keys: readonly string[]): Record<string, string | readonly string[]> {
  const patterns = keys.map((k) => k.toLowerCase().replace(/\$\{\w+\}$/, ''));
  return Object.fromEntries(
    Object.entries(context).filter(([key]) => {
      const lower = key.toLowerCase();
      return patterns.some((p) => (p.endsWith('/') ? lower.startsWith(p) : lower === p));
    }),
  );
}
