import { DynamoTable } from '../../lib/constructs/dynamodb-table';
import { onlyResource, synthJson, testStack } from '../support/synth';

describe('DynamoTable', () => {
  const build = (props: Partial<ConstructorParameters<typeof DynamoTable>[2]> = {}) => {
    const stack = testStack();
    new DynamoTable(stack, 'Orders', { name: 'orders', partitionKey: 'orderId', ...props });
    return onlyResource(synthJson(stack), 'aws_dynamodb_table');
  };

  it('is on demand, recoverable (PITR), KMS-encrypted and keyed by one string attribute', () => {
    expect(build()).toEqual({
      name: 'orders',
      hash_key: 'orderId',
      attribute: [{ name: 'orderId', type: 'S' }],
      billing_mode: 'PAY_PER_REQUEST',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: false,
    });
  });

  it('protects against deletion and streams changes only when asked', () => {
    expect(build({ deletionProtection: true, streamViewType: 'NEW_IMAGE', timeToLiveAttribute: 'expiresAt' })).toMatchObject({
      deletion_protection_enabled: true,
      stream_enabled: true,
      stream_view_type: 'NEW_IMAGE',
      ttl: { enabled: true, attribute_name: 'expiresAt' },
    });
  });
});
