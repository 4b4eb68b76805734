import { DeleteTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { useLogCapture } from '../support/logs';
import { useEmulator } from '../support/moto';
import { createTable } from '../support/tables';

/**
 * The consumer against moto's SQS and DynamoDB: messages are really sent, received (with their
 * real receive counts) and, in the fault test, retried and dead-lettered by SQS's redrive policy,
 * with this test doing what Lambda's event source mapping does between receive and delete.
 */

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const TABLE = 'webhook-events';
const MAX_RECEIVE_COUNT = 3;
const context = { functionName: 'consumer-test', awsRequestId: 'test', getRemainingTimeInMillis: () => 30000 } as unknown as Context;

let sqs: SQSClient;
let dynamodb: DynamoDBClient;
let handler: Handler;

const logs = useLogCapture();
useEmulator();
beforeAll(async () => {
  sqs = new SQSClient({});
  dynamodb = new DynamoDBClient({});
  process.env.TABLE_NAME = TABLE;
  process.env.POWERTOOLS_SERVICE_NAME = 'consumer-test';
  ({ handler } = (await import('../../lambdas/webhook/consumer')) as { handler: Handler });
});


// A fresh table per test; queues get fresh names instead (a full emulator reset costs ~0.6 s a test).
beforeEach(async () => {
  await dynamodb.send(new DeleteTableCommand({ TableName: TABLE })).catch((error: Error) => {
    if (error.name !== 'ResourceNotFoundException') throw error;
  });
  await createTable(dynamodb, TABLE, 'eventId');
});

let queueSet = 0;

interface Queues {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
}

async function createQueues(): Promise<Queues> {
  queueSet += 1;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `submissions-${queueSet}-dlq` }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: `submissions-${queueSet}`,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT }) },
      }),
    )
  ).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn, dlqUrl };
}

async function send(queueUrl: string, body: string): Promise<string> {
  return (await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))).MessageId!;
}

async function receive(queueUrl: string): Promise<Message[]> {
  const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }));
  return result.Messages ?? [];
}

/** The SQS event Lambda builds from a received batch. */
function toEvent(messages: Message[], queueArn: string): SQSEvent {
  const records: SQSRecord[] = messages.map((m) => ({
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body!,
    attributes: {
      ApproximateReceiveCount: m.Attributes!.ApproximateReceiveCount!,
      SentTimestamp: m.Attributes!.SentTimestamp!,
      SenderId: m.Attributes!.SenderId ?? 'AIDATEST',
      ApproximateFirstReceiveTimestamp: m.Attributes!.ApproximateFirstReceiveTimestamp!,
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody!,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  }));
  return { Records: records };
}

async function storedEvents(): Promise<Map<string, { message: string; messageId: string }>> {
  const items = (await dynamodb.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
  const byId = new Map<string, { message: string; messageId: string }>();
  for (const item of items) {
    if (byId.has(item.eventId.S!)) throw new Error(`eventId ${item.eventId.S} stored twice`);
    byId.set(item.eventId.S!, { message: item.message.S!, messageId: item.messageId.S! });
  }
  return byId;
}

const submission = (eventId: string, message: string) => JSON.stringify({ eventId, message });

describe('webhook consumer: one batch', () => {
  it('stores each valid event once, ignores duplicates and reports only the poison messages', async () => {
    const { url, arn } = await createQueues();
    // An event stored by an earlier delivery: its redelivery must neither overwrite nor fail.
    await dynamodb.send(
      new PutItemCommand({ TableName: TABLE, Item: { eventId: { S: 'evt-4' }, message: { S: 'first delivery' }, messageId: { S: 'earlier' }, receivedAt: { S: '2026-01-01T00:00:00.000Z' } } }),
    );
    const ids = {
      valid1: await send(url, submission('evt-1', 'hello')),
      valid2: await send(url, submission('evt-2', 'second')),
      duplicate1: await send(url, submission('evt-1', 'hello again')),
      notJson: await send(url, 'Test Message'),
      missingMessage: await send(url, JSON.stringify({ eventId: 'evt-9' })),
      valid3: await send(url, submission('evt-3', 'third')),
      redelivered4: await send(url, submission('evt-4', 'second delivery')),
      wrongTypes: await send(url, JSON.stringify({ eventId: 42, message: ['x'] })),
    };
    const batch = await receive(url);
    expect(batch).toHaveLength(8);

    const response = await handler(toEvent(batch, arn), context);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([ids.notJson, ids.missingMessage, ids.wrongTypes].sort());
    const stored = await storedEvents();
    expect([...stored.keys()].sort()).toEqual(['evt-1', 'evt-2', 'evt-3', 'evt-4']);
    expect(['hello', 'hello again']).toContain(stored.get('evt-1')!.message);
    expect(stored.get('evt-2')).toEqual({ message: 'second', messageId: ids.valid2 });
    expect(stored.get('evt-4')).toEqual({ message: 'first delivery', messageId: 'earlier' });
  });

  it('reports a batch in which every message fails instead of throwing', async () => {
    const { url, arn } = await createQueues();
    const ids = [await send(url, '{'), await send(url, '[]')];
    const response = await handler(toEvent(await receive(url), arn), context);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(ids.sort());
  });

  it('fails a message whose write fails (table missing) so that SQS retries it', async () => {
    const { url, arn } = await createQueues();
    process.env.TABLE_NAME = 'no-such-table';
    const isolated = await new Promise<Handler>((resolve) => {
      jest.isolateModules(() => resolve((require('../../lambdas/webhook/consumer') as { handler: Handler }).handler));
    });
    process.env.TABLE_NAME = TABLE;
    const id = await send(url, submission('evt-5', 'will fail'));
    const response = await isolated(toEvent(await receive(url), arn), context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: id }]);
  });

  it('stores a multi-line message exactly as sent, tabs and astral characters included', async () => {
    const { url, arn } = await createQueues();
    const message = 'line one\r\nline two\n\tindented 🎉';
    await send(url, submission('evt-multi', message));
    const response = await handler(toEvent(await receive(url), arn), context);
    expect(response.batchItemFailures).toEqual([]);
    expect((await storedEvents()).get('evt-multi')?.message).toBe(message);
  });

  it.each([
    ['a control character in the eventId', { eventId: 'evt\u0000-1', message: 'hello' }, 'eventId: must not contain control characters'],
    ['a line break in the eventId', { eventId: 'evt-1\nevt-2', message: 'hello' }, 'eventId: must not contain control characters'],
    ['an ESC sequence in the message', { eventId: 'evt-1', message: '\u001b[2Jcleared' }, 'message: must not contain control characters other than line breaks and tabs'],
    ['an unpaired surrogate in the eventId', { eventId: 'evt-\ud83d', message: 'hello' }, 'eventId: must be well-formed Unicode (it holds an unpaired surrogate)'],
    ['an unpaired surrogate in the message', { eventId: 'evt-1', message: 'hi \udc00' }, 'message: must be well-formed Unicode (it holds an unpaired surrogate)'],
  ])('rejects %s as poison (never retried into a failed write) and stores nothing', async (_, body, reason) => {
    const { url, arn } = await createQueues();
    const id = await send(url, JSON.stringify(body));
    logs.clear();
    const response = await handler(toEvent(await receive(url), arn), context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: id }]);
    expect(await storedEvents()).toEqual(new Map());
    const rejected = logs.entries().find((e) => e.message === 'rejected message');
    expect(rejected).toMatchObject({ stream: 'stderr', level: 'WARN', reason: expect.stringContaining(reason) });
  });

  it('never logs message bodies, on either stream', async () => {
    const { url, arn } = await createQueues();
    logs.clear();
    for (const body of ['Test Message', submission('evt-7', 'hello again'), JSON.stringify({ eventId: 'evt-8', message: 'second\u0000delivery' })]) await send(url, body);
    await handler(toEvent(await receive(url), arn), context);
    const levels = logs.entries().map((e) => `${e.stream} ${String(e.level)} ${String(e.message)}`);
    expect(levels).toEqual(expect.arrayContaining(['stderr WARN rejected message', 'stdout INFO stored']));
    for (const body of ['Test Message', 'hello again', 'second']) expect(logs.text()).not.toContain(body);
  });
});

describe('webhook consumer: fault test through the redrive policy', () => {
  it('retries failures, dead-letters only the poison messages after maxReceiveCount, and loses nothing', async () => {
    const { url, arn, dlqUrl } = await createQueues();
    const valid = Array.from({ length: 12 }, (_, i) => submission(`evt-${i}`, `message ${i}`));
    const poison = ['Test Message', JSON.stringify({ message: 'no id' }), JSON.stringify({ eventId: '', message: 'empty id' })];
    const duplicate = submission('evt-3', 'resent by the client');
    const sent = [...valid, duplicate, ...poison];
    for (const body of sent) await send(url, body);

    // What the event source mapping does: receive a batch, invoke, delete what succeeded; a failed
    // message becomes visible again when its visibility timeout ends (here: at once).
    const failuresPerBody = new Map<string, number>();
    let cycles = 0;
    for (let polls = 1; ; polls++) {
      if (polls > 100) throw new Error('the queue did not drain within 100 polls');
      const batch = await receive(url);
      if (batch.length === 0) {
        const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
        if (Number(attributes.ApproximateNumberOfMessages) + Number(attributes.ApproximateNumberOfMessagesNotVisible) === 0) break;
        continue;
      }
      cycles += 1;
      if (cycles > 20) throw new Error('the queue did not drain within 20 receive cycles');
      const { batchItemFailures } = await handler(toEvent(batch, arn), context);
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      for (const message of batch) {
        if (failed.has(message.MessageId!)) {
          failuresPerBody.set(message.Body!, (failuresPerBody.get(message.Body!) ?? 0) + 1);
          await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }));
        } else {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
        }
      }
    }

    const deadLetters: Message[] = [];
    for (let batch = await receive(dlqUrl); batch.length > 0; batch = await receive(dlqUrl)) deadLetters.push(...batch);
    const stored = await storedEvents();

    // Only the poison messages failed, each exactly maxReceiveCount times, then went to the DLQ.
    expect(Object.fromEntries(failuresPerBody)).toEqual(Object.fromEntries(poison.map((p) => [p, MAX_RECEIVE_COUNT])));
    expect(deadLetters.map((m) => m.Body).sort()).toEqual([...poison].sort());
    // Every valid event is stored exactly once; the client's resend did not overwrite it.
    expect([...stored.keys()].sort()).toEqual(valid.map((v) => (JSON.parse(v) as { eventId: string }).eventId).sort());
    expect(stored.get('evt-3')!.message).toBe('message 3');
    // Nothing lost: every message sent is stored or dead-lettered.
    const accountedFor = sent.filter((body) => poison.includes(body) ? deadLetters.some((m) => m.Body === body) : stored.has((JSON.parse(body) as { eventId: string }).eventId));
    expect(accountedFor).toEqual(sent);
  });
});
