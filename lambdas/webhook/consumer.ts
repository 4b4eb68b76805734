import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { EventStore } from './event-store';
import { parseSubmission, PoisonMessageError } from './submission';

const logger = new Logger();
const processor = new BatchProcessor(EventType.SQS);
const store = new EventStore(getStringFromEnv({ key: 'TABLE_NAME' }), new DynamoDBClient({}));

/**
 * Stores each queued submission once. A message that fails (not a submission, or DynamoDB
 * unavailable) fails alone: it is reported in batchItemFailures, retried by SQS and, after the
 * queue's maxReceiveCount, moved to the DLQ; the rest of the batch is deleted.
 */
async function storeSubmission(record: SQSRecord): Promise<void> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  try {
    const event = parseSubmission(record.body);
    const stored = await store.putIfAbsent({
      ...event,
      messageId: record.messageId,
      receivedAt: new Date(Number(record.attributes.SentTimestamp)).toISOString(),
    });
    logger.info(stored ? 'stored' : 'duplicate ignored', { messageId: record.messageId, eventId: event.eventId });
  } catch (error) {
    // The body itself is never logged: it is the client's data.
    if (error instanceof PoisonMessageError) {
      logger.warn('rejected message', { messageId: record.messageId, receiveCount, reason: error.message });
    } else {
      logger.error('could not store message', { messageId: record.messageId, receiveCount, error: error as Error });
    }
    throw error;
  }
}

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  // A batch in which every message failed is reported like any other, rather than thrown: the
  // outcome for SQS is the same, and the invocation does not count as a function error.
  processPartialResponse(event, storeSubmission, processor, { context, throwOnFullBatchFailure: false });
