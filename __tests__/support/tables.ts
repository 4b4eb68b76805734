import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A table in the emulator shaped like DynamoTable deploys it: on demand, one string partition key. */
export async function createTable(dynamodb: DynamoDBClient, tableName: string, partitionKey: string): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: 'S' }],
    }),
  );
}
