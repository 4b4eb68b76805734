import * as crypto from 'crypto';

/**
 * `$context` of a REST API request (and the `requestContext` of a proxy event), built once per
 * request with the values API Gateway documents.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
 */
export interface RequestContext {
  accountId: string;
  apiId: string;
  authorizer: Record<string, unknown>;
  awsEndpointRequestId: string;
  domainName: string;
  domainPrefix: string;
  extendedRequestId: string;
  httpMethod: string;
  identity: Record<string, string | null>;
  path: string;
  protocol: string;
  requestId: string;
  requestOverride: { header: Record<string, string>; path: Record<string, string>; querystring: Record<string, string> };
  requestTime: string;
  requestTimeEpoch: number;
  resourceId: string;
  resourcePath: string;
  responseOverride: { header: Record<string, string>; status?: number };
  stage: string;
  xrayTraceId: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** CLF-formatted time, as `$context.requestTime` (dd/MMM/yyyy:HH:mm:ss +0000). */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

export interface ContextInput {
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly httpMethod: string;
  /** Path without the stage. */
  readonly path: string;
  readonly host: string;
  readonly sourceIp: string;
  readonly userAgent?: string;
}

// These ids need to be unique, not secret: one call to the system's generator serves many requests
// (crypto.randomUUID keeps such a cache of its own; randomBytes does not).
const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomAt = 0;
function pooledRandomBytes(size: number): Buffer {
  if (randomAt + size > randomPool.length) {
    randomPool = crypto.randomBytes(RANDOM_POOL_BYTES);
    randomAt = 0;
  }
  randomAt += size;
  return randomPool.subarray(randomAt - size, randomAt);
}

export function newRequestContext(input: ContextInput): RequestContext {
  const now = Date.now();
  const requestId = crypto.randomUUID();
  return {
    accountId: input.accountId,
    apiId: input.apiId,
    authorizer: {},
    awsEndpointRequestId: crypto.randomUUID(),
    domainName: input.host,
    domainPrefix: input.host.split('.')[0],
    extendedRequestId: pooledRandomBytes(12).toString('base64'),
    httpMethod: input.httpMethod,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: input.sourceIp,
      user: null,
      userAgent: input.userAgent ?? null,
      userArn: null,
    },
    path: `/${input.stage}${input.path}`,
    protocol: 'HTTP/1.1',
    requestId,
    requestOverride: { header: {}, path: {}, querystring: {} },
    requestTime: clfTime(now),
    requestTimeEpoch: now,
    resourceId: '',
    resourcePath: '',
    responseOverride: { header: {} },
    stage: input.stage,
    xrayTraceId: `Root=1-${Math.floor(now / 1000).toString(16)}-${pooledRandomBytes(12).toString('hex')}`,
  };
}
