import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { putIfAbsent } from '../shared/dynamo';
import type { Customer, CustomerInput } from './customer';

/** DynamoDB access for customers. Every write is conditional: create never overwrites, update never creates. */
export class CustomerRepository {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient,
  ) {
    this.client = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Stores a new customer; returns false if the id is already taken (nothing is written then). */
  async create(customer: Customer): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, 'customerId', { ...customer });
  }

  async get(customerId: string): Promise<Customer | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { customerId }, ConsistentRead: true }));
    return result.Item as Customer | undefined;
  }

  /** Replaces the client-owned fields of an existing customer; undefined if there is none. */
  async replace(customerId: string, input: CustomerInput, now: string): Promise<Customer | undefined> {
    const set = ['#name = :name', '#email = :email', '#updatedAt = :now'];
    const remove: string[] = [];
    const names: Record<string, string> = { '#name': 'name', '#email': 'email', '#updatedAt': 'updatedAt', '#phone': 'phone', '#address': 'address' };
    const values: Record<string, unknown> = { ':name': input.name, ':email': input.email, ':now': now };
    if (input.phone !== undefined) {
      set.push('#phone = :phone');
      values[':phone'] = input.phone;
    } else {
      remove.push('#phone');
    }
    if (input.address !== undefined) {
      set.push('#address = :address');
      values[':address'] = input.address;
    } else {
      remove.push('#address');
    }
    const expression = `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`;
    return this.update(customerId, expression, names, values);
  }

  async updateEmail(customerId: string, email: string, now: string): Promise<Customer | undefined> {
    return this.update(customerId, 'SET #email = :email, #updatedAt = :now', { '#email': 'email', '#updatedAt': 'updatedAt' }, { ':email': email, ':now': now });
  }

  private async update(
    customerId: string,
    updateExpression: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<Customer | undefined> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { customerId },
          UpdateExpression: updateExpression,
          ConditionExpression: 'attribute_exists(customerId)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes as Customer;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
