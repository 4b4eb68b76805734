import { credentialScopeOf } from '../../../local/aws/sigv4';

/**
 * What the gate reads from one AWS API request before deciding it: who signed it (SigV4's
 * Credential scope: access key, region and the service's signing name), and the operation's
 * input, flattened to names -> values, whatever the protocol carries it in.
 * Protocols: https://smithy.io/2.0/aws/protocols/index.html (awsJson1_0/1_1: operation in
 * X-Amz-Target, input in the JSON body; awsQuery: `Action=` and the input form-encoded;
 * restJson1/restXml: operation by method and path, input in path, query and body).
 */
export interface GateRequest {
  readonly method: string;
  /** Path without the query string, as sent (percent-encoded). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface Signer {
  readonly accessKeyId: string;
  readonly region: string;
  /** SigV4 signing name: `dynamodb`, `monitoring`, `apigateway` (v1 and v2), `s3`, ... */
  readonly signingName: string;
}

export function signerOf(request: GateRequest): Signer | undefined {
  const scope = credentialScopeOf(request.headers.authorization);
  return scope ? { accessKeyId: scope.accessKeyId, region: scope.region, signingName: scope.service } : undefined;
}

export type Input = Readonly<Record<string, unknown>>;

/** The JSON body's top level, or {} when the body is not a JSON object. */
export function jsonInput(body: Buffer): Input {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Input) : {};
  } catch {
    return {};
  }
}

/** An awsQuery request's parameters: the form-encoded body of a POST, else the query string. */
export function queryInput(request: GateRequest): Input {
  const form = (request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') ? new URLSearchParams(request.body.toString('utf8')) : request.query;
  return Object.fromEntries(form.entries());
}
