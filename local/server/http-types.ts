/** A request as the local gateway received it, parsed once for every handler. */
export interface LocalRequest {
  readonly method: string;
  /** The path after the API's base path (after `/<apiId>/<stage>`), still URL-encoded, starting with `/`. */
  readonly path: string;
  /** The full path the client sent (URL-encoded), for signature checks. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Query parameters, decoded; repeated names keep every value in order. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Header names in lower case; repeated headers keep every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  /** Host header, e.g. 127.0.0.1:4010. */
  readonly host: string;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
  /** What answered, for the request log line: e.g. `AWS dynamodb:PutItem`, `AWS_PROXY sp-dev-customers-api`, `gateway MISSING_AUTHENTICATION_TOKEN`. */
  readonly integration: string;
}

export function header(request: LocalRequest, name: string): string | undefined {
  const values = request.headers[name.toLowerCase()];
  return values && values.length > 0 ? values.join(',') : undefined;
}

/** The first value of each header / query parameter, as API Gateway's single-value maps hold. */
export function singleValues(map: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v[v.length - 1] ?? '']));
}

export function jsonResponse(status: number, body: unknown, integration: string, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), integration };
}
