import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { decodeCommentChange } from './change-record';

const logger = new Logger();
const processor = new BatchProcessor(EventType.KinesisDataStreams);

/**
 * Logs each comment change DynamoDB streamed to Kinesis as one structured JSON line. A record that
 * cannot be decoded is reported by its sequence number. For a stream, Lambda checkpoints just
 * before the LOWEST reported sequence number and delivers everything from there again: the records
 * after a failed one in the same batch come again even though they succeeded, and the bisection
 * and retries then isolate the bad record before it is parked.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 * So this handler must be safe to run twice on a record: it only logs (a duplicate line, nothing
 * lost or double-written).
 */
async function processRecord(record: KinesisStreamRecord): Promise<void> {
  const { sequenceNumber, partitionKey } = record.kinesis;
  try {
    const change = decodeCommentChange(record.kinesis.data);
    logger.info('comment change', { sequenceNumber, partitionKey, ...change });
  } catch (error) {
    // The reason only: the record's data is user content and stays out of the logs.
    logger.error('undecodable record', { sequenceNumber, partitionKey, reason: (error as Error).message });
    throw error;
  }
}

export const handler = async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
  // Tags every line with the invocation's request id, so one batch's lines can be found together.
  logger.addContext(context);
  return processPartialResponse(event, processRecord, processor, { context });
};
