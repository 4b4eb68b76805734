import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyRequest {
  readonly method: string;
  /** API Gateway resource template, e.g. `/customers/{customerId}`. */
  readonly resource: string;
  readonly pathParameters?: Record<string, string>;
  readonly body?: unknown;
  /** Send `body` as-is (a string) instead of JSON-encoding it. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

let counter = 0;

/** A REST API Lambda-proxy event as API Gateway sends it for the `v1` stage. */
export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const path = request.resource.replace(/\{([^}]+)\}/g, (_, name: string) => request.pathParameters?.[name] ?? '');
  const body = request.rawBody ?? (request.body === undefined ? null : JSON.stringify(request.body));
  const requestId = `req-${++counter}`;
  return {
    resource: request.resource,
    path,
    httpMethod: request.method,
    headers: { 'Content-Type': 'application/json', ...(request.headers ?? {}) },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: { sourceIp: '203.0.113.10', userAgent: 'jest' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/v1${path}`,
      stage: 'v1',
      requestId,
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'res123',
      resourcePath: request.resource,
    },
  };
}
