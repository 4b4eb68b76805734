import { PolicyStatement } from './policy-document';

/**
 * Something that can be granted permissions: a Lambda function (its execution role) or a service
 * role. Resources grant through it, aws-cdk style (`table.grant(fn, 'dynamodb:PutItem')`,
 * `queue.grantSendMessages(role)`), so the grant lives with the resource that knows its ARN and
 * the exact actions its use needs.
 */
export interface IGrantable {
  readonly grantPrincipal: IPrincipalPolicy;
}

/** The identity policy a grant adds statements to. */
export interface IPrincipalPolicy {
  addStatements(...statements: PolicyStatement[]): void;
}

/** `sqs:SendMessage` -> `SendMessage`; `Failure-Queue` -> `FailureQueue`: readable, valid IAM Sids. */
export function sidPart(text: string): string {
  return text
    .replace(/^[a-z0-9-]+:/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
