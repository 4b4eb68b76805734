import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Writes `item` only if no item with the same key attribute exists. Returns false (and writes
 * nothing) when one does: callers decide whether that is a duplicate to ignore or a retry.
 */
export async function putIfAbsent(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keyAttribute: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': keyAttribute },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
