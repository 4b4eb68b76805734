import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { call, CallOptions, SmokeResponse } from '../../../scripts/lib/smoke-http';
import { outputString } from '../../../scripts/lib/smoke-target';
import { readLogin } from '../../../scripts/lib/webhook-secret';
import { readmeErrorRows } from '../../support/readme-error-rows';
import { PlaneSuite } from './context';

/**
 * Every error row of every pipeline's README table (the `# error cases` blocks), as a request sent
 * through serve:local and the answer it must get, keyed by the row's documented answer. A row the
 * emulator cannot produce says why instead. The README-sync unit test
 * (__tests__/scripts/readme-error-rows.test.ts) fails on a row missing here, or a case here the
 * README no longer has.
 */
export interface Caller {
  /** The stack's `api_url` joined with `path`. */
  url(path: string): string;
  send(path: string, options?: CallOptions): Promise<SmokeResponse>;
  /** The stack's API key (customers, putrecord). */
  readonly apiKey: string;
  /** SigV4 for execute-api with the emulator's credentials (kinesis proxy). */
  readonly sign: NonNullable<CallOptions['sign']>;
  /** The webhook's current Authorization header. */
  readonly authorization: string;
}

export type ErrorCase =
  | { readonly send: (c: Caller) => Promise<SmokeResponse>; readonly status: number; readonly body?: Record<string, unknown>; readonly check?: (r: SmokeResponse) => void }
  | { readonly notLocal: string };

const JSON_TYPE = { 'content-type': 'application/json' };
// What `curl -d` sends when no Content-Type is given.
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const NO_THROTTLING = 'stage and usage-plan throttling are not enforced locally (README "Known differences from AWS")';
const NO_IAM = 'IAM policies are not evaluated locally, so a refused role or key cannot be produced';
const NO_SHARD_LIMIT = 'moto 5.2.1 has no shard throughput limit';
const NO_KINESIS_5XX = 'moto cannot be made to fail a Kinesis call with a 5xx on demand';

export const ERROR_CASES: Readonly<Record<string, Readonly<Record<string, ErrorCase>>>> = {
  'apigw-lambda-dynamodb-customers': {
    '400 {"message":"Invalid customer","details":["email: must be an e-mail address such as jane@example.com"]}': {
      send: (c) => c.send('/customers', { method: 'POST', headers: { 'x-api-key': c.apiKey, ...FORM_TYPE }, body: '{"name":"x","email":"nope"}' }),
      status: 400,
      body: { message: 'Invalid customer', details: ['email: must be an e-mail address such as jane@example.com'] },
    },
    '400 {"message":"Request body is not valid JSON"}': {
      send: (c) => c.send('/customers', { method: 'POST', headers: { 'x-api-key': c.apiKey, ...FORM_TYPE }, body: '{"name":' }),
      status: 400,
      body: { message: 'Request body is not valid JSON' },
    },
    '404 {"message":"Customer ... not found"}': {
      send: (c) => c.send('/customers/00000000-0000-4000-8000-000000000000', { headers: { 'x-api-key': c.apiKey } }),
      status: 404,
      check: (r) => expect(r.json().message).toMatch(/^Customer .+ not found/),
    },
    '405, Allow: GET, PUT': {
      send: (c) => c.send('/customers/00000000-0000-4000-8000-000000000000', { method: 'DELETE', headers: { 'x-api-key': c.apiKey } }),
      status: 405,
      check: (r) => expect(r.headers.get('allow')).toBe('GET, PUT'),
    },
    '403 {"message":"Forbidden",...} (no key)': {
      send: (c) => c.send('/customers/00000000-0000-4000-8000-000000000000'),
      status: 403,
      body: { message: 'Forbidden' },
    },
    '404 {"message":"No route matches this method and path"}': {
      send: (c) => c.send('/nothing-here', { headers: { 'x-api-key': c.apiKey } }),
      status: 404,
      body: { message: 'No route matches this method and path' },
    },
  },
  'apigw-dynamodb-kinesis-lambda': {
    '400 {"message":"Invalid request body","type":"BAD_REQUEST_BODY",...}': {
      send: (c) => c.send('/comment', { method: 'POST', headers: JSON_TYPE, body: '{"username":"myname"}' }),
      status: 400,
      body: { message: 'Invalid request body', type: 'BAD_REQUEST_BODY' },
    },
    '400 (message over 2000 characters)': {
      send: (c) => c.send('/comment', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ username: 'myname', message: 'x'.repeat(2001) }) }),
      status: 400,
      body: { message: 'Invalid request body', type: 'BAD_REQUEST_BODY' },
    },
    '400 (unknown field)': {
      send: (c) => c.send('/comment', { method: 'POST', headers: JSON_TYPE, body: '{"username":"myname","message":"hi","admin":true}' }),
      status: 400,
      body: { message: 'Invalid request body', type: 'BAD_REQUEST_BODY' },
    },
    '400 Invalid request body': {
      send: (c) => c.send('/comment', { method: 'POST', headers: JSON_TYPE, body: '{"username":' }),
      status: 400,
      body: { message: 'Invalid request body' },
    },
    '415 Unsupported Media Type': {
      send: (c) => c.send('/comment', { method: 'POST', headers: FORM_TYPE, body: 'username=myname&message=hi' }),
      status: 415,
      body: { message: 'Unsupported Media Type' },
    },
    '404 {"message":"No route matches this method and path"}': {
      send: (c) => c.send('/comment'),
      status: 404,
      body: { message: 'No route matches this method and path' },
    },
  },
  'apigw-kinesis-proxy': {
    '403 Missing Authentication Token (unsigned; also unknown paths/methods)': {
      send: (c) => c.send('/streams'),
      status: 403,
      body: { message: 'Missing Authentication Token' },
    },
    '404 {"message":"Unknown stream: this API serves events","type":"UnknownStream"}': {
      send: (c) => c.send('/streams/nope/record', { method: 'PUT', sign: c.sign, headers: JSON_TYPE, body: '{"Data":1,"PartitionKey":"k"}' }),
      status: 404,
      body: { message: 'Unknown stream: this API serves events', type: 'UnknownStream' },
    },
    '400 Missing required request parameters: [shard-id]': {
      send: (c) => c.send('/streams/events/sharditerator', { sign: c.sign }),
      status: 400,
      body: { message: 'Missing required request parameters: [shard-id]' },
    },
    '400 "iterator-type must be one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER (default TRIM_HORIZON)"': {
      send: (c) => c.send('/streams/events/sharditerator?shard-id=shardId-000000000000&iterator-type=SIDEWAYS', { sign: c.sign }),
      status: 400,
      body: { message: 'iterator-type must be one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER (default TRIM_HORIZON)', type: 'InvalidParameter' },
    },
    '400 "sequence-number (digits) is required with iterator-type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER"': {
      send: (c) => c.send('/streams/events/sharditerator?shard-id=shardId-000000000000&iterator-type=AT_SEQUENCE_NUMBER', { sign: c.sign }),
      status: 400,
      body: { message: 'sequence-number (digits) is required with iterator-type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER', type: 'InvalidParameter' },
    },
    '404 {"message":"The stream or shard does not exist","type":"NotFound"}': {
      send: (c) => c.send('/streams/events/sharditerator?shard-id=shardId-000000000009', { sign: c.sign }),
      status: 404,
      body: { message: 'The stream or shard does not exist', type: 'NotFound' },
    },
    '400 Missing required request parameters: [Shard-Iterator]': {
      send: (c) => c.send('/streams/events/records', { sign: c.sign }),
      status: 400,
      body: { message: 'Missing required request parameters: [Shard-Iterator]' },
    },
    '400 "The Shard-Iterator header must hold a shard iterator from …/sharditerator"': {
      // The template refuses the header and sends GetRecords an empty ShardIterator, which AWS
      // refuses with 400; moto 5.2.1 (kinesis/models.py get_records -> decompose_shard_iterator)
      // fails on it with 500, so locally this is a 502. The 400 is held by the template tests.
      notLocal: 'moto 5.2.1 answers GetRecords with an empty ShardIterator 500 instead of 400, so locally this row is a 502 (README "Known differences from AWS")',
    },
    '400 {"type":"ExpiredIterator",…} (iterators live 5 minutes)': { notLocal: 'moto 5.2.1 never expires a shard iterator (5 minutes on AWS)' },
    '400 Invalid request body': {
      send: (c) => c.send('/streams/events/record', { method: 'PUT', sign: c.sign, headers: JSON_TYPE, body: '{"Data":1}' }),
      status: 400,
      body: { message: 'Invalid request body' },
    },
    '415 Unsupported Media Type': {
      send: (c) => c.send('/streams/events/record', { method: 'PUT', sign: c.sign, headers: { 'content-type': 'text/plain' }, body: 'x' }),
      status: 415,
      body: { message: 'Unsupported Media Type' },
    },
    'shard throughput exceeded → 429 {"type":"Throttled"}; stage throttling → 429; our role or key refused → 500 {"type":"InternalError"};': {
      notLocal: `${NO_SHARD_LIMIT}; ${NO_THROTTLING}; ${NO_IAM} (the templates' mapping of each Kinesis error type is held by __tests__/kinesis-proxy/templates.test.ts)`,
    },
    'Kinesis failure → 502 "Kinesis could not complete the request; retry later"': { notLocal: NO_KINESIS_5XX },
  },
  'apigw-kinesis-putrecord': {
    '404 {"message":"Unknown stream: this API serves orders, clicks","type":"UnknownStream",…}': {
      send: (c) => c.send('/payments', { method: 'PUT', headers: { 'x-api-key': c.apiKey, ...JSON_TYPE }, body: '{"Data":1,"PartitionKey":"k"}' }),
      status: 404,
      body: { message: 'Unknown stream: this API serves orders, clicks', type: 'UnknownStream' },
    },
    '403 {"message":"Forbidden",…} (no or wrong key)': {
      send: (c) => c.send('/orders', { method: 'PUT', headers: JSON_TYPE, body: '{"Data":1,"PartitionKey":"k"}' }),
      status: 403,
      body: { message: 'Forbidden' },
    },
    '400 Invalid request body': {
      send: (c) => c.send('/orders', { method: 'PUT', headers: { 'x-api-key': c.apiKey, ...JSON_TYPE }, body: '{"Data":1}' }),
      status: 400,
      body: { message: 'Invalid request body' },
    },
    '400': {
      send: (c) => c.send('/orders', { method: 'PUT', headers: { 'x-api-key': c.apiKey, ...JSON_TYPE }, body: '{"Data":1,"PartitionKey":""}' }),
      status: 400,
    },
    '400 (unknown field)': {
      send: (c) => c.send('/orders', { method: 'PUT', headers: { 'x-api-key': c.apiKey, ...JSON_TYPE }, body: '{"Data":1,"PartitionKey":"k","StreamName":"x"}' }),
      status: 400,
    },
    '415 Unsupported Media Type': {
      send: (c) => c.send('/orders', { method: 'PUT', headers: { 'x-api-key': c.apiKey, 'content-type': 'text/plain' }, body: 'x' }),
      status: 415,
      body: { message: 'Unsupported Media Type' },
    },
    '404 {"message":"No route matches this method and path"}': {
      send: (c) => c.send('/orders', { headers: { 'x-api-key': c.apiKey } }),
      status: 404,
      body: { message: 'No route matches this method and path' },
    },
    'per-key quota or stage throttling → 429; shard throughput exceeded → 429; Kinesis failure → 502 {"type":"KinesisUnavailable",…}': {
      notLocal: `${NO_THROTTLING}; ${NO_SHARD_LIMIT}; ${NO_KINESIS_5XX}`,
    },
  },
  'apigw-sqs-lambda-dynamodb': {
    '401 {"message":"Unauthorized"} (no header: authorizer not invoked)': {
      send: (c) => c.send('submit', { method: 'POST', headers: FORM_TYPE, body: '{"eventId":"1","message":"x"}' }),
      status: 401,
      body: { message: 'Unauthorized' },
    },
    '403 {"message":"Forbidden"}': {
      send: (c) =>
        c.send('submit', { method: 'POST', headers: { authorization: `Basic ${Buffer.from('webhook-client:wrong').toString('base64')}`, ...FORM_TYPE }, body: '{"eventId":"1","message":"x"}' }),
      status: 403,
      body: { message: 'Forbidden' },
    },
    '403 (non-Basic scheme, malformed base64 alike)': {
      send: (c) => c.send('submit', { method: 'POST', headers: { authorization: 'Bearer abc', ...FORM_TYPE }, body: '{"eventId":"1","message":"x"}' }),
      status: 403,
      body: { message: 'Forbidden' },
    },
    '404 {"message":"Not Found"}': {
      send: (c) => c.send('other', { headers: { authorization: c.authorization } }),
      status: 404,
      body: { message: 'Not Found' },
    },
    'over the stage\'s rate or burst limit: 429 {"message":"Too Many Requests"}': { notLocal: NO_THROTTLING },
    'authorizer cannot read the secret: 500 {"message":"Internal Server Error"}, nothing queued': {
      notLocal: `${NO_IAM}, and removing the secret would change the shared deployment`,
    },
    "SQS rejects the message (e.g. a body over SQS's 1 MiB message size): SQS's 4xx status and body pass through": {
      // SQS's limit: 1,048,576 bytes (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html).
      send: (c) => c.send('submit', { method: 'POST', headers: { authorization: c.authorization, ...JSON_TYPE }, body: JSON.stringify({ eventId: 'too-big', message: 'x'.repeat(1_048_577) }) }),
      status: 400,
    },
  },
};

/** The suite: every README error row through serve:local, in README order, stack by stack. */
export const readmeErrorRowsSuite: PlaneSuite = (context) => {
  describe('every README error row, through serve:local', () => {
    const callers = new Map<string, Caller>();
    const callerOf = async (stack: string): Promise<Caller> => {
      const known = callers.get(stack);
      if (known) return known;
      const { target } = context();
      const outputs = await target.outputs(stack);
      const api = outputString(outputs, 'api_url', stack);
      const url = (path: string) => (path.startsWith('/') ? `${api.replace(/\/$/, '')}${path}` : `${api.replace(/\/?$/, '/')}${path}`);
      const caller: Caller = {
        url,
        send: (path, options) => call(url(path), options),
        apiKey: typeof outputs.api_key_value === 'string' ? outputs.api_key_value : '',
        sign: { credentials: await target.credentials(), region: target.region },
        authorization: typeof outputs.secret_arn === 'string' ? (await readLogin(new SecretsManagerClient(target.clientConfig), outputs.secret_arn)).authorization : '',
      };
      callers.set(stack, caller);
      return caller;
    };

    for (const row of readmeErrorRows()) {
      const errorCase = ERROR_CASES[row.stack]?.[row.answer];
      if (!errorCase || 'notLocal' in errorCase) continue;
      it(`${row.stack}: ${row.command ?? ''} → ${row.answer}`, async () => {
        const response = await errorCase.send(await callerOf(row.stack));
        expect({ status: response.status, body: response.text.slice(0, 300) }).toEqual({ status: errorCase.status, body: expect.any(String) });
        if (errorCase.body) expect(response.json()).toMatchObject(errorCase.body);
        errorCase.check?.(response);
      }, 60_000);
    }
  });
};
