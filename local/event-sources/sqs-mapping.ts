import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueUrlCommand, Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FunctionRegistry } from '../lambda/functions';
import { deliverBatch } from './invoke-record';
import { MappingHealth } from './mapping-health';

/**
 * An SQS event source mapping: receive up to BatchSize messages, invoke the function with the
 * documented event, delete what succeeded. With ReportBatchItemFailures only the reported messages
 * stay on the queue; a function error leaves the whole batch. Messages left on the queue come back
 * after the visibility timeout, and the queue's redrive policy (run by the emulator) moves them to
 * the dead-letter queue after maxReceiveCount receives.
 *
 * With `retrySeconds` (serve:local's default), a received batch is leased for that long (at least
 * 2 s) and the lease is renewed while the function runs: a batch whose poller died (serve:local
 * killed) comes back after seconds, not after the queue's visibility timeout, and a slow batch is
 * not received a second time while it still runs.
 *
 * Receiving and deleting are the execution role's calls (`asRole`), evaluated as on AWS
 * (sqs:ReceiveMessage, sqs:DeleteMessage, kms:Decrypt on a customer managed key: mapping-health.ts);
 * finding the queue's URL and the lease are the local plane's own mechanics, made as the emulator.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export interface SqsMappingConfig {
  readonly uuid: string;
  readonly queueArn: string;
  readonly functionArn: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
  readonly region: string;
  /** Make failed messages visible again after this many seconds instead of the queue's visibility timeout. */
  readonly retrySeconds?: number;
}

const MIN_LEASE_SECONDS = 2;

export class SqsMapping {
  private running = true;
  private abandoned = false;
  private loop?: Promise<void>;

  constructor(
    private readonly config: SqsMappingConfig,
    private readonly sqs: SQSClient,
    private readonly functions: FunctionRegistry,
    private readonly log: (line: string) => void,
    /** The SQS client signing as the function's execution role. @default the emulator's (`sqs`) */
    private readonly asRole: () => Promise<SQSClient> = async () => sqs,
    readonly health = new MappingHealth({ uuid: config.uuid, eventSourceArn: config.queueArn, functionArn: config.functionArn }, log),
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Stops without deleting or releasing what is in flight: those messages come back when their lease ends. */
  abandon(): void {
    this.running = false;
    this.abandoned = true;
  }

  private get leaseSeconds(): number | undefined {
    return this.config.retrySeconds === undefined ? undefined : Math.max(MIN_LEASE_SECONDS, this.config.retrySeconds);
  }

  private async run(): Promise<void> {
    const queueName = this.config.queueArn.split(':').pop()!;
    const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    while (this.running) {
      try {
        const reader = await this.asRole();
        const received = await reader.send(
          new ReceiveMessageCommand({
            QueueUrl,
            // ReceiveMessage returns at most 10; larger batch sizes need a batching window, which gathers several receives.
            MaxNumberOfMessages: Math.min(10, this.config.batchSize),
            WaitTimeSeconds: 1,
            VisibilityTimeout: this.leaseSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        this.health.allowed();
        const messages = received.Messages ?? [];
        if (messages.length > 0 && !this.abandoned) await this.process(reader, QueueUrl!, messages);
      } catch (error) {
        if (!this.running) break;
        if (this.health.refused(error)) {
          await sleep(this.health.retryMs);
          continue;
        }
        this.log(`SQS mapping ${this.config.uuid}: ${(error as Error).message}`);
        await sleep(1000);
      }
    }
  }

  private async process(reader: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
    const event = { Records: messages.map((m) => sqsRecord(m, this.config.queueArn, this.config.region)) };
    const ids = messages.map((m) => m.MessageId!);
    const renewal = this.renewLease(queueUrl, messages);
    let outcome: Awaited<ReturnType<typeof deliverBatch>>;
    try {
      outcome = await deliverBatch(this.functions, this.config.functionArn, event, ids, this.config.reportBatchItemFailures);
    } finally {
      clearInterval(renewal);
    }
    if (this.abandoned) return;
    this.health.processed();
    const failed = outcome.kind === 'success' ? [] : outcome.kind === 'partial' ? outcome.failed : ids;
    const succeeded = messages.filter((m) => !failed.includes(m.MessageId!));
    if (succeeded.length > 0) {
      await reader.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: succeeded.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    if (failed.length > 0) {
      this.log(`SQS mapping ${this.config.uuid}: ${failed.length} of ${messages.length} message(s) failed (${outcome.kind === 'error' ? outcome.functionError : 'reported'}); they stay on the queue`);
      if (this.config.retrySeconds !== undefined) {
        const again = messages.filter((m) => failed.includes(m.MessageId!));
        await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: again.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: this.config.retrySeconds })),
          }),
        );
      }
    }
  }

  private renewLease(queueUrl: string, messages: Message[]): NodeJS.Timeout | undefined {
    const lease = this.leaseSeconds;
    if (lease === undefined) return undefined;
    return setInterval(() => {
      if (this.abandoned) return;
      const entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: lease }));
      this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries })).catch((e: Error) => this.log(`SQS mapping ${this.config.uuid}: lease not renewed: ${e.message}`));
    }, (lease * 1000) / 2);
  }
}

/** The record of an SQS event, as documented in "Example Amazon SQS message event". */
function sqsRecord(m: Message, queueArn: string, region: string): Record<string, unknown> {
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body ?? '',
    attributes: m.Attributes ?? {},
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        { stringValue: v.StringValue, binaryValue: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined, stringListValues: [], binaryListValues: [], dataType: v.DataType },
      ]),
    ),
    md5OfBody: m.MD5OfBody,
    md5OfMessageAttributes: m.MD5OfMessageAttributes,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
