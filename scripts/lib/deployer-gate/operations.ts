import { lambdaOperation, s3Operation } from './rest-routes';
import { GateRequest, Input, jsonInput, queryInput, Signer } from './request';

/**
 * One request as the API operation it calls: the IAM service prefix, the operation, its input, and
 * the protocol its refusal must be written in. For every service but API Gateway and S3 the IAM
 * action is `<prefix>:<operation>` (Service Authorization Reference, "Actions defined by ...").
 */
export type Protocol = 'json' | 'query' | 'rest-json' | 's3' | 'apigateway';

export interface Operation {
  /** IAM service prefix: `cloudwatch` for the signing name `monitoring`. */
  readonly service: string;
  readonly operation: string;
  readonly input: Input;
  readonly protocol: Protocol;
}

const IAM_PREFIX: Readonly<Record<string, string>> = { monitoring: 'cloudwatch' };
const JSON_SERVICES = new Set(['dynamodb', 'kinesis', 'logs', 'kms', 'secretsmanager', 'sqs', 'monitoring']);
const QUERY_SERVICES = new Set(['iam', 'sts', 'sns', 'monitoring', 'sqs']);

/** The protocol a service's requests use, for a refusal of one the gate could not map. */
export function protocolOf(request: GateRequest, signer: Signer): Protocol {
  if (request.headers['x-amz-target'] && JSON_SERVICES.has(signer.signingName)) return 'json';
  return ({ lambda: 'rest-json', apigateway: 'apigateway', s3: 's3' } as Record<string, Protocol>)[signer.signingName] ?? 'query';
}

/** The operation `request` calls, or a sentence naming what the gate cannot map (it then refuses). */
export function operationOf(request: GateRequest, signer: Signer): Operation | string {
  const service = IAM_PREFIX[signer.signingName] ?? signer.signingName;
  const target = request.headers['x-amz-target'];
  if (target && JSON_SERVICES.has(signer.signingName)) {
    return { service, operation: target.slice(target.lastIndexOf('.') + 1), input: jsonInput(request.body), protocol: 'json' };
  }
  if (QUERY_SERVICES.has(signer.signingName)) {
    const input = queryInput(request);
    if (typeof input.Action === 'string') return { service, operation: input.Action, input, protocol: 'query' };
  }
  if (signer.signingName === 'lambda') {
    const found = lambdaOperation(request.method, request.path);
    if (found) return { service, operation: found.operation, input: { ...jsonInput(request.body), ...found.input }, protocol: 'rest-json' };
  }
  if (signer.signingName === 's3') {
    const found = s3Operation(request.method, request.path, request.query);
    if (found) return { service, ...found, protocol: 's3' };
  }
  // API Gateway's IAM actions are the HTTP methods, on the path as resource (v1 and v2 alike).
  if (signer.signingName === 'apigateway') return { service, operation: request.method, input: jsonInput(request.body), protocol: 'apigateway' };
  return `the deployer gate does not map ${signer.signingName} ${request.method} ${request.path}${request.query.size ? `?${request.query}` : ''}${target ? ` (X-Amz-Target ${target})` : ''}`;
}
