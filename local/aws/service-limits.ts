import type { ServiceAction, ServiceResponse } from './service-call';

/**
 * Input limits the services document and moto 5.2.1 does not enforce, checked where the local
 * plane calls the service as an integration, and answered the way the service answers (so the
 * integration's responses map the refusal as on AWS). moto accepts both of these requests.
 */

/**
 * Kinesis PutRecord: "The data blob ... when added to the partition key size, the total size must
 * not exceed the maximum record size (1 MiB)"; `Data` has "Maximum length of 1048576".
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
 * The refusal is a 400 ValidationException whose message names the `data` constraint, as Kinesis
 * answers it (quoted in https://github.com/awslabs/kinesis-aggregation/issues/30).
 */
export const MAX_KINESIS_RECORD_BYTES = 1024 * 1024;

/**
 * SQS SendMessage: "A message can include only XML, JSON, and unformatted text. The following
 * Unicode characters are allowed: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to
 * #x10FFFF. Any characters not included in this list will be rejected."
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 * The error is InvalidMessageContents (400, listed under SendMessage's Errors); its message is
 * SQS's production text.
 */
export function firstDisallowedSqsCharacter(text: string): number | undefined {
  // for..of walks code points; a lone surrogate comes out as its own code unit, which is refused.
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) return code;
  }
  return undefined;
}

/** The service's refusal of `body` for `action`, or undefined when the documented limits hold. */
export function serviceLimitRefusal(action: ServiceAction, body: string): ServiceResponse | undefined {
  const input = parseObject(body);
  if (!input) return undefined;
  if (action.service === 'kinesis' && action.action === 'PutRecord') return kinesisRecordRefusal(input);
  if (action.service === 'sqs' && action.action === 'SendMessage' && typeof input.MessageBody === 'string') {
    const code = firstDisallowedSqsCharacter(input.MessageBody);
    if (code === undefined) return undefined;
    const message =
      `Invalid binary character '#x${code.toString(16).toUpperCase()}' was found in the message body, the set of allowed ` +
      'characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].';
    // SQS's JSON protocol names the error in __type and in x-amzn-query-error (code;fault).
    return jsonError(400, 'com.amazonaws.sqs#InvalidMessageContents', message, { 'x-amzn-query-error': 'InvalidMessageContents;Sender' });
  }
  return undefined;
}

function kinesisRecordRefusal(input: Record<string, unknown>): ServiceResponse | undefined {
  if (typeof input.Data !== 'string') return undefined;
  const dataBytes = Buffer.from(input.Data, 'base64').length;
  const keyBytes = typeof input.PartitionKey === 'string' ? Buffer.byteLength(input.PartitionKey, 'utf8') : 0;
  if (dataBytes > MAX_KINESIS_RECORD_BYTES) {
    return jsonError(400, 'ValidationException', `1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_KINESIS_RECORD_BYTES}`);
  }
  if (dataBytes + keyBytes > MAX_KINESIS_RECORD_BYTES) {
    return jsonError(400, 'ValidationException', `The record's data blob plus partition key is ${dataBytes + keyBytes} bytes; the maximum record size is ${MAX_KINESIS_RECORD_BYTES} bytes`);
  }
  return undefined;
}

export function jsonError(status: number, type: string, message: string, headers: Record<string, string> = {}): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type.replace(/^.*#/, ''), ...headers },
    body: JSON.stringify({ __type: type, message }),
  };
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
