import * as fs from 'fs';
import * as path from 'path';
import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { call, SmokeResponse } from './smoke-http';
import { outputString, SmokeTarget } from './smoke-target';
import { readLogin } from './webhook-secret';

/**
 * Each pipeline as a load target: how to send request i of a run, and afterwards what became of
 * the accepted ones (the count lost). What "lost" means follows the pipeline's contract: a webhook
 * submission not stored in the table, a comment the stream consumer never logged, a Kinesis record
 * missing from the stream or out of order within its partition key.
 */
export interface PipelineLoad {
  readonly name: string;
  /** Sends request `index` of this run; answers its HTTP status. */
  send(index: number): Promise<number>;
  /** After the run: how many accepted requests did not arrive where the contract says, within `timeoutMs`. */
  lost(timeoutMs: number): Promise<LostReport>;
  /** Deletes what the run stored where it can be deleted (table items; Kinesis records expire). */
  cleanup(): Promise<void>;
  /** The last answer received, for a floor server to mimic. */
  readonly last: ResponseSample;
}

export interface ResponseSample {
  status: number;
  contentType: string;
  body: string;
}

function remember(last: ResponseSample, r: SmokeResponse): SmokeResponse {
  last.status = r.status;
  last.contentType = r.headers.get('content-type') ?? 'application/json';
  last.body = r.text;
  return r;
}

const emptySample = (): ResponseSample => ({ status: 0, contentType: '', body: '' });

export interface LostReport {
  readonly accepted: number;
  readonly lost: number;
  readonly detail?: string;
}

export const WEBHOOK_STACK = 'apigw-sqs-lambda-dynamodb';
export const COMMENTS_STACK = 'apigw-dynamodb-kinesis-lambda';
export const PUTRECORD_STACK = 'apigw-kinesis-putrecord';
export const PROXY_STACK = 'apigw-kinesis-proxy';

/** Webhook: POST /submit with a fresh eventId each (a poison body every `poisonEvery`th when set). */
export async function webhookLoad(target: SmokeTarget, run: string, options: { poisonEvery?: number } = {}): Promise<PipelineLoad & { readonly poisonSent: () => string[]; dlqBodies(): Promise<string[]> }> {
  const outputs = await target.outputs(WEBHOOK_STACK);
  const submit = `${outputString(outputs, 'api_url', WEBHOOK_STACK).replace(/\/$/, '')}/submit`;
  const table = outputString(outputs, 'table_name', WEBHOOK_STACK);
  const login = await readLogin(new SecretsManagerClient(target.clientConfig), outputString(outputs, 'secret_arn', WEBHOOK_STACK));
  const dynamodb = new DynamoDBClient(target.clientConfig);
  const sqs = new SQSClient(target.clientConfig);
  const accepted = new Set<string>();
  const poison: string[] = [];
  const last = emptySample();
  return {
    name: 'webhook POST /submit',
    last,
    async send(i) {
      const isPoison = options.poisonEvery !== undefined && (i + 1) % options.poisonEvery === 0;
      const eventId = `${run}-${i}`;
      const body = isPoison ? JSON.stringify({ poison: eventId }) : JSON.stringify({ eventId, message: `load ${i}` });
      const r = remember(last, await call(submit, { method: 'POST', headers: { authorization: login.authorization, 'content-type': 'application/json' }, body }));
      if (r.status === 200 && isPoison) poison.push(eventId);
      else if (r.status === 200) accepted.add(eventId);
      return r.status;
    },
    async lost(timeoutMs) {
      const missing = await untilEmpty(timeoutMs, [...accepted], async (ids) => {
        const found = new Set<string>();
        for (let i = 0; i < ids.length; i += 100) {
          const keys = ids.slice(i, i + 100).map((eventId) => ({ eventId: { S: eventId } }));
          const { Responses } = await dynamodb.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'eventId' } } }));
          for (const item of Responses?.[table] ?? []) found.add(item.eventId.S!);
        }
        return ids.filter((id) => !found.has(id));
      });
      return { accepted: accepted.size, lost: missing.length, detail: missing.length ? `not stored: ${missing.slice(0, 5).join(', ')}` : undefined };
    },
    cleanup: () => deleteItems(dynamodb, table, 'eventId', [...accepted]),
    poisonSent: () => [...poison],
    /** Every message body in the DLQ that belongs to this run, deleted as it is read (the DLQ is left as found). */
    async dlqBodies() {
      const dlqName = outputString(outputs, 'dead_letter_queue_arn', WEBHOOK_STACK).split(':').pop()!;
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
      const bodies: string[] = [];
      for (let empty = 0; empty < 2; ) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 30 }));
        const ours = (Messages ?? []).filter((m) => (m.Body ?? '').includes(run));
        if (!Messages?.length) empty++;
        bodies.push(...ours.map((m) => m.Body!));
        if (ours.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: ours.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      return bodies;
    },
  };
}

/** Comments: POST /comment; each accepted id must appear in the consumer's log (locally, its log file). */
export async function commentsLoad(target: SmokeTarget, run: string): Promise<PipelineLoad & { readonly ids: () => string[] }> {
  const outputs = await target.outputs(COMMENTS_STACK);
  const api = outputString(outputs, 'api_url', COMMENTS_STACK).replace(/\/$/, '');
  const dynamodb = new DynamoDBClient(target.clientConfig);
  if (!target.functionLogDir) throw new Error('comments load: the consumer log is read from the local data plane only');
  const logFile = path.join(target.functionLogDir, `${outputString(outputs, 'consumer_function_name', COMMENTS_STACK)}.log`);
  const accepted: string[] = [];
  const last = emptySample();
  return {
    name: 'comments POST /comment',
    last,
    async send(i) {
      const r = remember(last, await call(`${api}/comment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'load', message: `${run} ${i}` }) }));
      if (r.status === 201) accepted.push(r.json().id as string);
      return r.status;
    },
    async lost(timeoutMs) {
      const missing = await untilEmpty(timeoutMs, accepted, async (ids) => {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
        const seen = new Set(log.split('\n').filter((l) => l.includes('comment change')).flatMap((l) => ids.filter((id) => l.includes(id))));
        return ids.filter((id) => !seen.has(id));
      });
      return { accepted: accepted.length, lost: missing.length, detail: missing.length ? `not logged by the consumer: ${missing.slice(0, 5).join(', ')}` : undefined };
    },
    cleanup: () => deleteItems(dynamodb, outputString(outputs, 'table_name', COMMENTS_STACK), 'id', accepted),
    ids: () => [...accepted],
  };
}

interface PutAnswer {
  readonly key: string;
  readonly seq: number;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/**
 * A Kinesis put API: request i puts `{run, key, seq}` under partition key `key = i % keys`; a
 * key's records are sent one after another (the next once the previous is acknowledged), so
 * Kinesis must keep them in that order. Run it with concurrency <= keys.
 */
function kinesisLoad(name: string, target: SmokeTarget, physicalStream: string, run: string, keys: number, put: (body: string) => Promise<SmokeResponse>): PipelineLoad {
  const answers: PutAnswer[] = [];
  const last = emptySample();
  const kinesis = new KinesisClient(target.clientConfig);
  const chains = new Map<string, Promise<unknown>>();
  let accepted = 0;
  return {
    name,
    last,
    send(i) {
      const key = `${run}-k${i % keys}`;
      const seq = Math.floor(i / keys);
      const next = (chains.get(key) ?? Promise.resolve()).then(async () => {
        const r = remember(last, await put(JSON.stringify({ Data: { run, key, seq }, PartitionKey: key })));
        if (r.status === 200) {
          accepted++;
          const a = r.json() as { ShardId: string; SequenceNumber: string };
          answers.push({ key, seq, shardId: a.ShardId, sequenceNumber: a.SequenceNumber });
        }
        return r.status;
      });
      chains.set(key, next.catch(() => undefined));
      return next;
    },
    async lost() {
      // Everything from each shard's first acknowledged sequence number on, in stream order.
      const byShard = new Map<string, string>();
      for (const a of answers) if (!byShard.has(a.shardId) || BigInt(a.sequenceNumber) < BigInt(byShard.get(a.shardId)!)) byShard.set(a.shardId, a.sequenceNumber);
      const seen: { key: string; seq: number }[] = [];
      for (const [shardId, from] of byShard) {
        let iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: physicalStream, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: from }))).ShardIterator;
        for (let page = 0; iterator && page < 1000; page++) {
          const { Records, NextShardIterator, MillisBehindLatest } = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
          for (const r of Records ?? []) {
            const data = JSON.parse(Buffer.from(r.Data ?? new Uint8Array()).toString('utf8')) as { run?: string; key?: string; seq?: number };
            if (data.run === run) seen.push({ key: data.key!, seq: data.seq! });
          }
          iterator = NextShardIterator;
          if (!Records?.length || MillisBehindLatest === 0) break;
        }
      }
      const wanted = new Set(answers.map((a) => `${a.key}#${a.seq}`));
      const got = new Set(seen.map((s) => `${s.key}#${s.seq}`));
      const missing = [...wanted].filter((w) => !got.has(w));
      const outOfOrder = [...new Set(seen.map((s) => s.key))].filter((key) => {
        const seqs = seen.filter((s) => s.key === key).map((s) => s.seq);
        return seqs.some((s, i) => i > 0 && s <= seqs[i - 1]);
      });
      const detail = [missing.length ? `missing ${missing.slice(0, 5).join(', ')}` : '', outOfOrder.length ? `out of order or repeated: ${outOfOrder.join(', ')}` : ''].filter(Boolean).join('; ');
      return { accepted, lost: missing.length + outOfOrder.length, detail: detail || undefined };
    },
    async cleanup() {},
  };
}

export async function putRecordLoad(target: SmokeTarget, run: string, keys: number): Promise<PipelineLoad> {
  const outputs = await target.outputs(PUTRECORD_STACK);
  const api = outputString(outputs, 'api_url', PUTRECORD_STACK).replace(/\/$/, '');
  const headers = { 'content-type': 'application/json', 'x-api-key': outputString(outputs, 'api_key_value', PUTRECORD_STACK) };
  const [short, physical] = Object.entries((outputs.streams ?? {}) as Record<string, string>)[0];
  return kinesisLoad(`PutRecord API PUT /${short}`, target, physical, run, keys, (body) => call(`${api}/${short}`, { method: 'PUT', headers, body }));
}

export async function proxyLoad(target: SmokeTarget, run: string, keys: number): Promise<PipelineLoad> {
  const outputs = await target.outputs(PROXY_STACK);
  const api = outputString(outputs, 'api_url', PROXY_STACK).replace(/\/$/, '');
  const sign = { credentials: await target.credentials(), region: target.region };
  const [short, physical] = Object.entries((outputs.streams ?? {}) as Record<string, string>)[0];
  return kinesisLoad(`Kinesis proxy PUT /streams/${short}/record`, target, physical, run, keys, (body) =>
    call(`${api}/streams/${short}/record`, { method: 'PUT', sign, headers: { 'content-type': 'application/json' }, body }),
  );
}

/** Re-checks `pending` until `stillMissing` answers none, or the time is up; answers what is still missing. */
async function untilEmpty(timeoutMs: number, pending: readonly string[], stillMissing: (ids: string[]) => Promise<string[]>): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let missing = [...pending];
  for (;;) {
    missing = missing.length ? await stillMissing(missing) : [];
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function deleteItems(dynamodb: DynamoDBClient, table: string, key: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 25) {
    const requests = ids.slice(i, i + 25).map((id) => ({ DeleteRequest: { Key: { [key]: { S: id } } } }));
    await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
  }
}
