import type { APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';

/** A failure the client caused or can act on; its status and message go back as they are. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: readonly string[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: HttpError, requestId?: string): APIGatewayProxyResult {
  return json(
    error.statusCode,
    { message: error.message, ...(error.details ? { details: error.details } : {}), ...(requestId ? { requestId } : {}) },
    { ...error.headers },
  );
}

/** Parses a JSON request body (plain or base64-encoded) or throws a 400 that says what is wrong. */
export function parseJsonBody(body: string | null | undefined, isBase64Encoded = false): unknown {
  if (body === null || body === undefined || body.trim() === '') {
    throw new HttpError(400, 'Request body is required and must be a JSON object');
  }
  const text = isBase64Encoded ? decodeUtf8(Buffer.from(body, 'base64')) : body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

// fatal: bytes that are not UTF-8 are refused; Buffer#toString would turn them into U+FFFD and
// store something the client never sent.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new HttpError(400, 'Request body is not valid UTF-8');
  }
}

/** Validates with a zod schema; every issue becomes one readable line in a 400's details. */
export function validate<T>(schema: z.ZodMiniType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new HttpError(400, `Invalid ${what}`, describeIssues(result.error));
}

export function describeIssues(error: z.core.$ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `${where}: ${issue.message}`;
  });
}
