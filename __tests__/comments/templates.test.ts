import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  COMMENT_CLIENT_ERROR_TEMPLATE,
  COMMENT_CREATED_TEMPLATE,
  COMMENT_SERVER_ERROR_TEMPLATE,
  putCommentRequestTemplate,
  SELECTION_PATTERNS,
} from '../../stacks/comments/templates';
import { Moto, useEmulator } from '../support/moto';
import { createTable } from '../support/tables';
import { renderMappingTemplate, renderRequestTemplate, VtlInputError } from '../../local/vtl/renderer';

/**
 * The deployed mapping templates of POST /comment, rendered with a Velocity engine and API
 * Gateway's $input/$util/$context, then sent to moto's DynamoDB the way API Gateway would send them.
 */

const TABLE = 'sp-test-comments-comments';
const REQUEST_TEMPLATE = putCommentRequestTemplate(TABLE);
const EPOCH_MS = 1768469400123;

let moto: Moto;
let dynamodb: DynamoDBClient;

const emulator = useEmulator();
beforeAll(async () => {
  moto = emulator();
  dynamodb = new DynamoDBClient({});
  await createTable(dynamodb, TABLE, 'id');
});

afterAll(async () => {
  dynamodb?.destroy();
});

function render(body: string, requestId: string): string {
  return renderRequestTemplate(REQUEST_TEMPLATE, {
    body,
    headers: { 'Content-Type': 'application/json' },
    context: { requestId, requestTimeEpoch: EPOCH_MS },
  });
}

/** What API Gateway does with the rendered body: POST it to DynamoDB's JSON API as PutItem. */
async function callPutItem(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.PutItem',
      // moto reads service and region from the credential scope; it does not check signatures.
      Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260115/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** The integration response API Gateway picks for a DynamoDB status, rendered against DynamoDB's body. */
function respond(status: number, dynamoBody: string, requestId: string): { status: number; body: unknown } {
  const matches = (pattern: string) => new RegExp(`^(?:${pattern})$`).test(String(status));
  const [statusCode, template] = matches(SELECTION_PATTERNS.success)
    ? [201, COMMENT_CREATED_TEMPLATE]
    : matches(SELECTION_PATTERNS.clientError)
      ? [400, COMMENT_CLIENT_ERROR_TEMPLATE]
      : [503, COMMENT_SERVER_ERROR_TEMPLATE];
  const { output, context } = renderMappingTemplate(template, { body: dynamoBody, context: { requestId }, kind: 'response' });
  const override = (context.responseOverride as { status?: number } | undefined)?.status;
  return { status: override ?? statusCode, body: JSON.parse(output) as unknown };
}

const cases: { name: string; username: string; message: string }[] = [
  { name: 'plain text', username: 'ada', message: 'My first comment' },
  { name: 'double quotes', username: 'ada', message: 'She said "hello" and left' },
  { name: 'single quotes (escapeJavaScript makes them \\\' )', username: "O'Brien", message: "it's Ada's comment, isn't it?" },
  { name: 'backslashes, also before quotes', username: 'back\\slash', message: 'C:\\temp\\new \\\' \\" \\\\ end\\' },
  { name: 'newlines, tabs and control characters', username: 'ada', message: 'line 1\nline 2\r\n\tindented\u0001\u001f' },
  { name: 'unicode and emoji', username: 'Zoë 日本', message: 'Grüße 🎉👩🏽‍💻 — naïve café ✓' },
  { name: 'markup and JSON-looking text', username: 'ada', message: '</script><b>bold</b> & {"Item": {"id": {"S": "x"}}}, ] }' },
  { name: 'text that looks like VTL is data, not template', username: '$context.requestId', message: '#set($x = 1) ${evil} $util.escapeJavaScript("a") ## not a comment' },
];

describe('POST /comment request template → DynamoDB PutItem', () => {
  it.each(cases.map((c, i) => [c.name, c, `0f8fad5b-d9cb-469f-a165-70867728950${i}`] as const))(
    '%s: renders valid PutItem JSON that stores exactly what was sent',
    async (_name, input, requestId) => {
      const rendered = render(JSON.stringify({ username: input.username, message: input.message }), requestId);
      const request = JSON.parse(rendered) as PutItemCommandInput;
      expect(request).toEqual({
        TableName: TABLE,
        Item: {
          id: { S: requestId },
          username: { S: input.username },
          message: { S: input.message },
          createdAt: { N: String(EPOCH_MS) },
        },
        ConditionExpression: 'attribute_not_exists(id)',
        ReturnValues: 'NONE',
      });

      await dynamodb.send(new PutItemCommand(request));
      const stored = await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: requestId } }, ConsistentRead: true }));
      expect(stored.Item).toEqual({
        id: { S: requestId },
        username: { S: input.username },
        message: { S: input.message },
        createdAt: { N: String(EPOCH_MS) },
      });
    },
  );

  it('leaves out a missing field (the validator refuses such a body first) and still renders valid JSON', async () => {
    const requestId = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
    const request = JSON.parse(render(JSON.stringify({ username: 'ada' }), requestId)) as PutItemCommandInput;
    expect(request.Item).toEqual({ id: { S: requestId }, username: { S: 'ada' }, createdAt: { N: String(EPOCH_MS) } });
    await dynamodb.send(new PutItemCommand(request));
    const stored = await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: requestId } } }));
    expect(stored.Item).toEqual(request.Item);
  });

  it('never lets a non-JSON body reach DynamoDB (API Gateway answers 400)', () => {
    for (const body of ['username=ada&message=hi', '{"username": "ada", ']) {
      let thrown: unknown;
      try {
        render(body, 'x');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(VtlInputError);
      expect((thrown as VtlInputError).statusCode).toBe(400);
    }
  });
});

describe('POST /comment responses, from what DynamoDB really answers', () => {
  it('answers 201 with the new comment id', async () => {
    const requestId = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const dynamo = await callPutItem(render(JSON.stringify({ username: 'ada', message: 'hi' }), requestId));
    expect(dynamo).toEqual({ status: 200, text: '{}' });
    expect(respond(dynamo.status, dynamo.text, requestId)).toEqual({ status: 201, body: { id: requestId } });
  });

  it('answers 409 to a replayed request id and keeps the stored comment', async () => {
    const requestId = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
    await callPutItem(render(JSON.stringify({ username: 'ada', message: 'original' }), requestId));
    const replay = await callPutItem(render(JSON.stringify({ username: 'mallory', message: 'overwrite' }), requestId));
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.text)).toMatchObject({ __type: expect.stringMatching(/#ConditionalCheckFailedException$/) });
    expect(respond(replay.status, replay.text, requestId)).toEqual({
      status: 409,
      body: {
        message: 'A comment was already stored for this request id; it was not overwritten',
        type: 'ConditionalCheckFailed',
        requestId,
      },
    });
    const stored = await dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: requestId } } }));
    expect(stored.Item?.message).toEqual({ S: 'original' });
  });

  it("answers 400 to a ValidationException with a constant message, not DynamoDB's reason", async () => {
    // An empty key is something DynamoDB itself refuses; API Gateway never sends one, but the path is the same.
    const invalid = JSON.stringify({ TableName: TABLE, Item: { id: { S: '' }, message: { S: 'x' } } });
    const dynamo = await callPutItem(invalid);
    expect(dynamo.status).toBe(400);
    const answer = respond(dynamo.status, dynamo.text, 'req-validation');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      message: 'The comment was rejected by the database; check it against the documented limits',
      type: 'ValidationException',
      requestId: 'req-validation',
    });
  });

  it('repeats nothing of a DynamoDB message, whatever it holds', () => {
    const body = JSON.stringify({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: `One or more parameter values were invalid: table sp-prod-comments-comments "x" \\ over\nlimit`,
    });
    const answer = respond(400, body, 'r');
    expect(answer).toEqual({ status: 400, body: { message: expect.any(String), type: 'ValidationException', requestId: 'r' } });
    expect(JSON.stringify(answer.body)).not.toMatch(/sp-prod|parameter values/);
  });

  it('answers 429 when DynamoDB throttles', () => {
    for (const type of ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']) {
      const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'slow down' });
      expect(respond(400, body, 'r')).toEqual({
        status: 429,
        body: { message: 'Too many comments right now; retry later with backoff', type: 'Throttled', requestId: 'r' },
      });
    }
  });

  it('answers 500 without leaking ARNs when the fault is ours (access denied, missing table)', () => {
    const bodies = [
      { __type: 'com.amazon.coral.service#AccessDeniedException', Message: 'User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized' },
      { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found: Table: sp-dev-comments-comments not found' },
      {},
    ];
    for (const body of bodies) {
      const answer = respond(400, JSON.stringify(body), 'r');
      expect(answer).toEqual({
        status: 500,
        body: { message: 'The comment could not be stored because of an internal error', type: 'InternalError', requestId: 'r' },
      });
      expect(JSON.stringify(answer.body)).not.toMatch(/arn:|sp-dev/);
    }
  });

  it('answers 503 to a DynamoDB 5xx, never 200', () => {
    const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' });
    for (const status of [500, 503]) {
      expect(respond(status, body, 'r')).toEqual({
        status: 503,
        body: { message: 'The comment could not be stored; the database is unavailable, retry later', type: 'ServiceUnavailable', requestId: 'r' },
      });
    }
  });
});
