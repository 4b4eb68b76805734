import * as crypto from 'crypto';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { call, expectStatus } from './smoke-http';
import { eventually, expectThat, SkipStep, SmokeRun } from './smoke-runner';
import { outputString, SmokeTarget } from './smoke-target';
import { readLogin } from './webhook-secret';

export const WEBHOOK = 'apigw-sqs-lambda-dynamodb';
// Locally a failed message comes back after serve:local's --sqs-retry-seconds (2 s), five times.
const DLQ_TIMEOUT_LOCAL_MS = 45_000;

/** Webhook contract (README "Queued webhook"): Basic auth, queued, stored once; a poison submission ends in the DLQ. */
export async function smokeWebhook(run: SmokeRun, target: SmokeTarget, options: { waitForDlqOnAws?: boolean } = {}): Promise<void> {
  const p = WEBHOOK;
  const outputs = await run.step(p, 'read stack outputs', () => target.outputs(p));
  if (!outputs) return;
  const api = outputString(outputs, 'api_url', p);
  const submit = `${api.replace(/\/$/, '')}/submit`;
  const table = outputString(outputs, 'table_name', p);
  const dynamodb = new DynamoDBClient(target.clientConfig);
  const sqs = new SQSClient(target.clientConfig);
  // The login is read from Secrets Manager and only ever sent as the Authorization header.
  const login = await run.step(p, 'read the Basic-auth login from Secrets Manager', async () => {
    return readLogin(new SecretsManagerClient(target.clientConfig), outputString(outputs, 'secret_arn', p));
  });
  if (login) {
    const eventId = crypto.randomUUID();
    const sent = await run.step(p, 'POST /submit → 200 SendMessage result', async () => {
      const r = await call(submit, { method: 'POST', headers: { authorization: login.authorization, 'content-type': 'application/json' }, body: JSON.stringify({ eventId, message: 'smoke' }) });
      expectStatus(r, 200);
      expectThat(typeof r.json().SendMessageResponse?.SendMessageResult?.MessageId === 'string', `body ${r.text}`);
      run.onCleanup(`delete event ${eventId}`, () => dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { eventId: { S: eventId } } })));
      return true;
    });
    if (sent) {
      await run.step(p, 'the submission is stored in the table', async () => {
        await eventually('the event item', 30_000, async () => {
          const { Item } = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { eventId: { S: eventId } }, ConsistentRead: true }));
          return Item?.message?.S === 'smoke' ? true : undefined;
        });
      });
    }
    const poison = `smoke-poison-${crypto.randomUUID()}`;
    const queued = await run.step(p, 'POST /submit with a poison body → 200 (queued; HTTP APIs do not validate)', async () => {
      const r = await call(submit, { method: 'POST', headers: { authorization: login.authorization, 'content-type': 'application/json' }, body: JSON.stringify({ poison }) });
      expectStatus(r, 200);
      return true;
    });
    if (queued) {
      await run.step(p, 'the poison submission ends in the dead-letter queue', async () => {
        if (target.kind === 'aws' && !options.waitForDlqOnAws) {
          throw new SkipStep('on AWS it takes 5 deliveries x the 180 s visibility timeout; run with --wait-dlq to wait for it');
        }
        const dlqName = outputString(outputs, 'dead_letter_queue_arn', p).split(':').pop()!;
        const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
        await eventually('the poison message in the DLQ', target.kind === 'local' ? DLQ_TIMEOUT_LOCAL_MS : 20 * 60_000, async () => {
          const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 5 }));
          const found = (Messages ?? []).find((m) => (m.Body ?? '').includes(poison));
          if (found) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: found.ReceiptHandle }));
          return found ? true : undefined;
        }, 1000);
      });
    }
    await run.step(p, 'POST /submit with a wrong password → 403', async () => {
      const wrong = `Basic ${Buffer.from(`${login.username}:wrong-${crypto.randomUUID()}`).toString('base64')}`;
      expectStatus(await call(submit, { method: 'POST', headers: { authorization: wrong }, body: '{"eventId":"1","message":"x"}' }), 403);
    });
    await run.step(p, 'POST /other → 404', async () => {
      expectStatus(await call(`${api.replace(/\/$/, '')}/other`, { method: 'POST', headers: { authorization: login.authorization }, body: '{}' }), 404);
    });
  }
  await run.step(p, 'POST /submit without Authorization → 401', async () => {
    expectStatus(await call(submit, { method: 'POST', body: '{"eventId":"1","message":"x"}' }), 401);
  });
}
