import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { putIfAbsent } from '../shared/dynamo';
import { Submission } from './submission';

export interface StoredEvent extends Submission {
  /** SQS message id of the delivery that stored it. */
  readonly messageId: string;
  /** When the API accepted the submission (SQS SentTimestamp), ISO 8601. */
  readonly receivedAt: string;
}

/** The events table: one item per eventId, written once. */
export class EventStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient,
  ) {
    this.documents = DynamoDBDocumentClient.from(client);
  }

  /**
   * Stores the event unless one with its eventId exists. Returns false for a duplicate: a
   * redelivery must neither overwrite the first write nor count as a failure.
   */
  async putIfAbsent(event: StoredEvent): Promise<boolean> {
    return putIfAbsent(this.documents, this.tableName, 'eventId', { ...event });
  }
}
