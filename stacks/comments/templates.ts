/**
 * The request model and the VTL mapping templates of `POST /comment`, exactly as deployed: the
 * stack and the tests import them from here, so what the tests render is what API Gateway runs.
 */

/** Limits of a comment, enforced by API Gateway's request validator before DynamoDB is called. */
export const COMMENT_LIMITS = { usernameMaxLength: 64, messageMaxLength: 2000 } as const;

/** JSON schema (draft 4, the dialect API Gateway models use) of the `POST /comment` body. */
export const COMMENT_MODEL_SCHEMA = {
  type: 'object',
  required: ['username', 'message'],
  // Unknown fields are refused rather than silently dropped, so a client typo is a 400, not data loss.
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: COMMENT_LIMITS.usernameMaxLength },
    message: { type: 'string', minLength: 1, maxLength: COMMENT_LIMITS.messageMaxLength },
  },
} as const;

/**
 * `$util.escapeJavaScript` makes user text safe inside a JSON string (quotes, backslashes, control
 * characters, non-ASCII as \uXXXX) but also turns `'` into `\'`, which JSON does not allow; the
 * replaceAll undoes exactly that escape. The regex `\\'` only matches a backslash the escaper put in
 * front of a quote, because any backslash from the user was itself doubled before it.
 */
function escaped(variable: string): string {
  return `$util.escapeJavaScript(${variable}).replaceAll("\\\\'", "'")`;
}

/**
 * DynamoDB PutItem request for one comment. The request id is the item id and the request time
 * (epoch milliseconds) the creation time, both taken from API Gateway, never from the client.
 * `attribute_not_exists(id)` makes a replayed request fail with ConditionalCheckFailedException
 * instead of overwriting the stored comment.
 *
 * The validator guarantees both fields are present; the #if guards only keep the output valid JSON
 * (the attribute is left out) should a request ever reach the template without one, instead of
 * Velocity printing the unresolved reference into the JSON.
 */
export function putCommentRequestTemplate(tableName: string): string {
  return [
    "#set($username = $input.path('$.username'))",
    "#set($message = $input.path('$.message'))",
    '{',
    `  "TableName": "${tableName}",`,
    '  "Item": {',
    '#if($username)',
    `    "username": {"S": "${escaped('$username')}"},`,
    '#end',
    '#if($message)',
    `    "message": {"S": "${escaped('$message')}"},`,
    '#end',
    '    "id": {"S": "$context.requestId"},',
    '    "createdAt": {"N": "$context.requestTimeEpoch"}',
    '  },',
    '  "ConditionExpression": "attribute_not_exists(id)",',
    '  "ReturnValues": "NONE"',
    '}',
  ].join('\n');
}

/** 2xx from DynamoDB: the comment is stored under the request id. */
export const COMMENT_CREATED_TEMPLATE = '{"id": "$context.requestId"}';

/**
 * 4xx from DynamoDB. Selection patterns only see the status code, and DynamoDB answers every
 * client-side error with 400, so the template tells them apart by `__type` and overrides the status:
 * - ConditionalCheckFailedException: this request id was already stored (a replay) -> 409;
 * - throttling -> 429, so clients back off and retry;
 * - ValidationException: the item was refused -> 400 with a constant message (DynamoDB's reason
 *   names attributes and, for some errors, the table; it stays out of the response);
 * - anything else (access denied, missing table, bad credentials) is our misconfiguration, not the
 *   client's fault -> 500 with a generic message (DynamoDB's text would leak ARNs).
 * An override may be applied only once, hence one #set per branch.
 */
export const COMMENT_CLIENT_ERROR_TEMPLATE = [
  "#set($type = \"$!input.path('$.__type')\")",
  "#if($type.endsWith('ConditionalCheckFailedException'))",
  '#set($context.responseOverride.status = 409)',
  '{"message": "A comment was already stored for this request id; it was not overwritten", "type": "ConditionalCheckFailed", "requestId": "$context.requestId"}',
  "#elseif($type.endsWith('ThrottlingException') || $type.endsWith('ProvisionedThroughputExceededException') || $type.endsWith('RequestLimitExceeded'))",
  '#set($context.responseOverride.status = 429)',
  '{"message": "Too many comments right now; retry later with backoff", "type": "Throttled", "requestId": "$context.requestId"}',
  "#elseif($type.endsWith('ValidationException'))",
  '{"message": "The comment was rejected by the database; check it against the documented limits", "type": "ValidationException", "requestId": "$context.requestId"}',
  '#else',
  '#set($context.responseOverride.status = 500)',
  '{"message": "The comment could not be stored because of an internal error", "type": "InternalError", "requestId": "$context.requestId"}',
  '#end',
].join('\n');

/** 5xx from DynamoDB (or any status not matched above). */
export const COMMENT_SERVER_ERROR_TEMPLATE =
  '{"message": "The comment could not be stored; the database is unavailable, retry later", "type": "ServiceUnavailable", "requestId": "$context.requestId"}';

/** Integration response selection patterns (regexes over DynamoDB's HTTP status). */
export const SELECTION_PATTERNS = { success: '2\\d{2}', clientError: '4\\d{2}' } as const;
