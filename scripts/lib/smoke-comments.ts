import * as fs from 'fs';
import * as path from 'path';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { call, expectStatus } from './smoke-http';
import { eventually, expectThat, SkipStep, SmokeRun } from './smoke-runner';
import { outputString, SmokeTarget } from './smoke-target';

export const COMMENTS = 'apigw-dynamodb-kinesis-lambda';
// The consumer's batching window is 5 s; the DynamoDB-to-Kinesis hop adds about a second on AWS.
const CONSUMER_TIMEOUT_MS = 45_000;

/** Comments contract (README "Comments"): stored by the PutItem integration, then seen by the stream consumer. */
export async function smokeComments(run: SmokeRun, target: SmokeTarget): Promise<void> {
  const p = COMMENTS;
  const outputs = await run.step(p, 'read stack outputs', () => target.outputs(p));
  if (!outputs) return;
  const api = outputString(outputs, 'api_url', p);
  const table = outputString(outputs, 'table_name', p);
  const dynamodb = new DynamoDBClient(target.clientConfig);
  const message = `smoke ${Date.now()} "quotes" and O'Brien 🎉`;

  const id = await run.step(p, 'POST /comment → 201 {id}', async () => {
    const r = await call(`${api}/comment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'smoke', message }) });
    expectStatus(r, 201);
    const commentId = r.json().id as string;
    expectThat(typeof commentId === 'string' && commentId !== '', `no id in ${r.text}`);
    run.onCleanup(`delete comment ${commentId}`, () => dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: commentId } } })));
    return commentId;
  });
  if (id) {
    await run.step(p, 'the comment is in the table exactly as sent', async () => {
      const item = (await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }))).Item;
      expectThat(item?.message?.S === message, `stored ${JSON.stringify(item?.message)}`);
    });
    await run.step(p, 'the stream consumer logs the comment', async () => {
      if (target.kind === 'local') {
        const file = path.join(target.functionLogDir!, `${outputString(outputs, 'consumer_function_name', p)}.log`);
        await eventually('consumer log line with the comment id', CONSUMER_TIMEOUT_MS, async () =>
          fs.existsSync(file) && fs.readFileSync(file, 'utf8').split('\n').some((l) => l.includes('comment change') && l.includes(id)) ? true : undefined,
        );
        return `seen in ${path.relative(process.cwd(), file)}`;
      }
      const logs = new CloudWatchLogsClient(target.clientConfig);
      const group = outputString(outputs, 'consumer_log_group', p);
      await eventually('consumer log event with the comment id', CONSUMER_TIMEOUT_MS * 2, async () => {
        const found = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${id}"`, startTime: Date.now() - 15 * 60_000 }));
        return (found.events ?? []).length > 0 ? true : undefined;
      }, 3000);
      return `seen in ${group}`;
    });
  }
  await run.step(p, 'POST /comment without "message" → 400 Invalid request body', async () => {
    const r = await call(`${api}/comment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"smoke"}' });
    expectStatus(r, 400);
    expectThat(r.json().type === 'BAD_REQUEST_BODY', `body ${r.text}`);
  });
  await run.step(p, 'POST /comment with an unknown field → 400', async () => {
    expectStatus(await call(`${api}/comment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"a","message":"b","admin":true}' }), 400);
  });
  await run.step(p, 'POST /comment as a form → 415', async () => {
    expectStatus(await call(`${api}/comment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a&message=b' }), 415);
  });
  await run.step(p, 'GET /comment → 404', async () => {
    expectStatus(await call(`${api}/comment`), 404);
  });
  await run.step(p, 'replayed request id → 409', async () => {
    // The id is API Gateway's request id, fresh for every request: no client can replay one.
    throw new SkipStep('not reachable by a client (each request gets a new request id); covered by the template tests');
  });
}
