/**
 * API Gateway mapping templates (VTL) for direct Kinesis integrations, shared by every stack that
 * puts a REST API in front of Kinesis. Pure functions of the served streams: the stacks deploy
 * what these return, and the tests render the synthesized copies with a Velocity engine.
 *
 * Clients name streams by their short name in the path parameter `stream-name`; the templates map
 * it to the physical name at synth time, so no caller can name a stream the API does not serve.
 */

import { TEXT_PATTERN } from '../../../lambdas/shared/text-patterns';

/** What a route of the proxy does: list the served streams (answered by API Gateway alone) or call a Kinesis action. */
export type KinesisAction = 'ListStreams' | KinesisCall;
/** The Kinesis actions the proxy calls. */
export type KinesisCall = 'PutRecord' | 'GetShardIterator' | 'GetRecords';

/** A stream an API serves: the name clients use in URLs and the name Kinesis knows. */
export interface ServedStream {
  readonly shortName: string;
  readonly physicalName: string;
}

/** Content type of the Kinesis JSON protocol; Kinesis refuses a request body sent as anything else. */
export const KINESIS_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Iterator types GET .../sharditerator accepts; AT_TIMESTAMP is left out (it needs a numeric timestamp that VTL cannot validate). */
export const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;
export const DEFAULT_ITERATOR_TYPE = 'TRIM_HORIZON';

/** Records one GET .../records returns at most; keeps the response far below API Gateway's 10 MB payload limit for small records. */
export const GET_RECORDS_LIMIT = 100;

/** JSON schema (draft 4) of a PutRecord request body. */
export const PUT_RECORD_SCHEMA = {
  type: 'object',
  required: ['Data', 'PartitionKey'],
  additionalProperties: false,
  properties: {
    // Any JSON value: it is stored as its JSON text.
    Data: {},
    // Kinesis limits partition keys to 256 Unicode characters; maxLength counts code points. The
    // pattern refuses control characters and unpaired surrogates, which have no UTF-8 form and so
    // no defined partition key hash.
    // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
    PartitionKey: { type: 'string', minLength: 1, maxLength: 256, pattern: TEXT_PATTERN },
  },
} as const;

const SERVER_ERROR = 'Kinesis could not complete the request; retry later';

/** One reason to answer a request without letting it reach a stream. */
interface Check {
  /** VTL condition that is true when the request is bad. */
  readonly failsWhen: string;
  readonly status: 400 | 404;
  readonly type: 'UnknownStream' | 'InvalidParameter';
  /** Constant, JSON-safe text: echoing client input would need escaping VTL cannot do reliably. */
  readonly message: string;
}

// Java regexes (String.matches, whole string). Every client value that lands in a request body must
// pass one, so no value can break the JSON (escapeJavaScript turns ' into \', which JSON refuses).
const SHARD_ID = '[A-Za-z0-9_.-]{1,128}';
const SEQUENCE_NUMBER = '[0-9]{1,128}';
// Shard iterators are opaque base64 tokens of at most 512 characters.
const SHARD_ITERATOR = '[A-Za-z0-9+/=_-]{1,512}';

/**
 * VTL that reads the request into variables (`$stream`: physical name of the stream the path names,
 * "" when not served) and sets `$problem` to a client-facing reason when the request must not reach
 * Kinesis ("" when it may), with `$problemStatus` and `$problemType`. The request template uses it to
 * decide what to send and the 4xx response template to explain a refusal, so both agree by construction.
 */
function requestChecks(action: KinesisCall, streams: readonly ServedStream[]): string {
  const lines: string[] = [];
  const checks: Check[] = [];
  lines.push(
    "#set($streamName = $input.params('stream-name'))",
    ...streams.map((s, i) => `#${i === 0 ? 'if' : 'elseif'}($streamName == "${s.shortName}")\n#set($stream = "${s.physicalName}")`),
    '#else',
    '#set($stream = "")',
    '#end',
  );
  checks.push({
    failsWhen: '$stream == ""',
    status: 404,
    type: 'UnknownStream',
    message: `Unknown stream: this API serves ${streams.map((s) => s.shortName).join(', ')}`,
  });
  if (action === 'GetShardIterator') {
    const allowed = ITERATOR_TYPES.map((t) => `$iteratorType != '${t}'`).join(' && ');
    lines.push(
      "#set($shardId = \"$!input.params('shard-id')\")",
      "#set($iteratorType = \"$!input.params('iterator-type')\")",
      `#if($iteratorType == "")\n#set($iteratorType = '${DEFAULT_ITERATOR_TYPE}')\n#end`,
      "#set($sequenceNumber = \"$!input.params('sequence-number')\")",
      '#set($needsSequenceNumber = false)',
      "#if($iteratorType == 'AT_SEQUENCE_NUMBER' || $iteratorType == 'AFTER_SEQUENCE_NUMBER')\n#set($needsSequenceNumber = true)\n#end",
    );
    checks.push(
      {
        failsWhen: `!$shardId.matches('${SHARD_ID}')`,
        status: 400,
        type: 'InvalidParameter',
        message: 'shard-id must be a shard id such as shardId-000000000000',
      },
      {
        failsWhen: allowed,
        status: 400,
        type: 'InvalidParameter',
        message: `iterator-type must be one of ${ITERATOR_TYPES.join(', ')} (default ${DEFAULT_ITERATOR_TYPE})`,
      },
      {
        failsWhen: `$needsSequenceNumber && !$sequenceNumber.matches('${SEQUENCE_NUMBER}')`,
        status: 400,
        type: 'InvalidParameter',
        message: 'sequence-number (digits) is required with iterator-type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER',
      },
    );
  }
  if (action === 'GetRecords') {
    lines.push("#set($shardIterator = \"$!input.params('Shard-Iterator')\")");
    checks.push({
      failsWhen: `!$shardIterator.matches('${SHARD_ITERATOR}')`,
      status: 400,
      type: 'InvalidParameter',
      message: 'The Shard-Iterator header must hold a shard iterator from GET /streams/{stream-name}/sharditerator',
    });
  }
  lines.push('#set($problem = "")');
  checks.forEach((check, i) => {
    lines.push(
      `#${i === 0 ? 'if' : 'elseif'}(${check.failsWhen})`,
      `#set($problem = '${check.message}')`,
      `#set($problemStatus = ${check.status})`,
      `#set($problemType = '${check.type}')`,
    );
  });
  if (checks.length > 0) lines.push('#end');
  return lines.join('\n');
}

/**
 * What API Gateway sends to Kinesis. A REST API mapping template cannot stop the call, so a request
 * that fails the checks sends a body with an empty stream identifier instead: Kinesis refuses it
 * with 400 before touching any stream, and the 4xx response template answers with the real reason.
 */
export function kinesisRequestTemplate(action: KinesisCall, streams: readonly ServedStream[], region: string): string {
  const call = requestBody(action, region);
  const rejected = action === 'GetRecords' ? '{"ShardIterator": ""}' : '{"StreamName": ""}';
  return [requestChecks(action, streams), '#if($problem != "")', rejected, '#else', call, '#end'].join('\n');
}

function requestBody(action: KinesisCall, region: string): string {
  switch (action) {
    case 'PutRecord':
      // $input.json yields JSON text (a quoted, escaped string for PartitionKey); Data is stored as
      // the JSON text of whatever the client sent, base64-encoded as the Kinesis protocol wants.
      return '{"StreamName": "$stream", "PartitionKey": $input.json(\'$.PartitionKey\'), "Data": "$util.base64Encode($input.json(\'$.Data\'))"}';
    case 'GetShardIterator':
      return [
        '{"StreamName": "$stream", "ShardId": "$util.escapeJavaScript($shardId)", "ShardIteratorType": "$iteratorType"',
        '#if($needsSequenceNumber), "StartingSequenceNumber": "$util.escapeJavaScript($sequenceNumber)"#end}',
      ].join('');
    case 'GetRecords':
      // The stream's ARN makes Kinesis and IAM judge the call by the stream the path names, not only
      // by whatever stream the client's iterator points into.
      return `{"ShardIterator": "$util.escapeJavaScript($shardIterator)", "StreamARN": "arn:${partitionOf(region)}:kinesis:${region}:$context.accountId:stream/$stream", "Limit": ${GET_RECORDS_LIMIT}}`;
  }
}

/** What the client receives when Kinesis answers 2xx. */
export function kinesisSuccessTemplate(action: KinesisCall): string {
  switch (action) {
    case 'PutRecord':
      return '{"SequenceNumber": $input.json(\'$.SequenceNumber\'), "ShardId": $input.json(\'$.ShardId\')}';
    case 'GetShardIterator':
      return '{"ShardIterator": $input.json(\'$.ShardIterator\')}';
    case 'GetRecords':
      return '{"Records": $input.json(\'$.Records\'), "NextShardIterator": $input.json(\'$.NextShardIterator\'), "MillisBehindLatest": $input.json(\'$.MillisBehindLatest\')}';
  }
}

/**
 * What a client is told for each Kinesis error type: a constant message and our own type per mapped
 * status, never Kinesis's text. Kinesis's messages carry the account id and the physical stream name
 * ("Rate exceeded for shard shardId-000000000000 in stream sp-prod-kput-orders under account
 * 123456789012.", "Stream ... under account ... not found.") and access-denied messages the role's
 * ARN; none of that may reach a client. The integration status (400) and our status stay in the
 * stage's access log. Kinesis error types: https://docs.aws.amazon.com/kinesis/latest/APIReference/CommonErrors.html
 * and each action's "Errors" section.
 */
export const KINESIS_CLIENT_ERRORS: readonly { readonly kinesisTypes: readonly string[]; readonly status: number; readonly type: string; readonly message: string }[] = [
  { kinesisTypes: ['ResourceNotFoundException'], status: 404, type: 'NotFound', message: 'The stream or shard does not exist' },
  {
    kinesisTypes: ['ProvisionedThroughputExceededException', 'LimitExceededException', 'KMSThrottlingException'],
    status: 429,
    type: 'Throttled',
    message: 'Too many requests for this stream right now; retry later with backoff',
  },
  { kinesisTypes: ['ExpiredIteratorException'], status: 400, type: 'ExpiredIterator', message: 'The shard iterator has expired; get a new one' },
  { kinesisTypes: ['InvalidArgumentException'], status: 400, type: 'InvalidArgument', message: 'Kinesis refused a parameter of the request' },
  {
    // Our role or key is wrong, not the client's request: an internal error, like the other APIs.
    kinesisTypes: ['AccessDeniedException', 'KMSAccessDeniedException', 'KMSDisabledException', 'KMSInvalidStateException', 'KMSNotFoundException'],
    status: 500,
    type: 'InternalError',
    message: 'The request could not be completed because of an internal error',
  },
];
const OTHER_CLIENT_ERROR = { status: 400, type: 'BadRequest', message: 'Kinesis rejected the request' } as const;

/**
 * `$type` reduced to the bare error name, as the AWS SDKs do before they compare it: JSON protocol
 * errors may name the type as `namespace#Name` (Kinesis itself sends
 * `com.amazon.coral.validate#ValidationException`) and may append `:<url>`; everything from the first
 * `:` is dropped, then everything up to the first `#`.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization
 * https://pkg.go.dev/github.com/aws/aws-sdk-go-v2/aws/protocol/restjson#SanitizeErrorCode
 */
const BARE_ERROR_TYPE = [
  "#set($cut = $type.indexOf(':'))",
  '#if($cut >= 0)',
  '#set($type = $type.substring(0, $cut))',
  '#end',
  "#set($cut = $type.indexOf('#'))",
  '#if($cut >= 0)',
  '#set($cut = $cut + 1)',
  '#set($type = $type.substring($cut))',
  '#end',
];

/**
 * What the client receives when Kinesis answers 4xx (or refused a request the checks stopped).
 * Kinesis answers every client-side error with HTTP 400; the status is refined from its error type.
 */
export function kinesisClientErrorTemplate(action: KinesisCall, streams: readonly ServedStream[]): string {
  const branches = KINESIS_CLIENT_ERRORS.flatMap((error) => [
    `#elseif(${error.kinesisTypes.map((t) => `$type == '${t}'`).join(' || ')})`,
    `#set($status = ${error.status})`,
    `#set($problemType = '${error.type}')`,
    `#set($problem = '${error.message}')`,
  ]);
  return [
    requestChecks(action, streams),
    "#set($type = \"$!input.path('$.__type')\")",
    ...BARE_ERROR_TYPE,
    '#if($problem != "")',
    '#set($status = $problemStatus)',
    ...branches,
    '#else',
    `#set($status = ${OTHER_CLIENT_ERROR.status})`,
    `#set($problemType = '${OTHER_CLIENT_ERROR.type}')`,
    `#set($problem = '${OTHER_CLIENT_ERROR.message}')`,
    '#end',
    // Overrides are final and may be set once, so only at the end.
    '#if($status != 400)',
    '#set($context.responseOverride.status = $status)',
    '#end',
    // Every message and type is one of ours: constant, JSON-safe text.
    '{"message": "$problem", "type": "$problemType", "requestId": "$context.requestId"}',
  ].join('\n');
}

/**
 * `GET /streams` without calling Kinesis: the served streams are fixed at synth time, so a MOCK
 * integration answers with them. ListStreams would cost a call of its account-wide quota (5 per
 * second, shared by every caller in the account) per request and return at most one page of names.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListStreams.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 */
export const SERVED_STREAMS_REQUEST_TEMPLATE = '{"statusCode": 200}';

/** The answer of `GET /streams`: the names clients use in URLs. */
export function servedStreamsTemplate(streams: readonly ServedStream[]): string {
  return JSON.stringify({ StreamNames: streams.map((s) => s.shortName) });
}

/** What the client receives when Kinesis fails (5xx): no internal detail, a request id to report. */
export const KINESIS_SERVER_ERROR_TEMPLATE = `{"message": "${SERVER_ERROR}", "type": "KinesisUnavailable", "requestId": "$context.requestId"}`;

/** `arn:<partition>:...` of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}
