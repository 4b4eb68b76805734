import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IGrantable, sidPart } from './grants';

export interface DynamoTableProps {
  /** Physical table name. */
  readonly name: string;
  /** String partition key attribute. */
  readonly partitionKey: string;
  /** Refuse `terraform destroy` of the table (set in production). @default false */
  readonly deletionProtection?: boolean;
  /** Emit item-level changes (needed for a Kinesis streaming destination or DynamoDB Streams). @default none */
  readonly streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  /** Attribute holding an expiry epoch for TTL. @default no TTL */
  readonly timeToLiveAttribute?: string;
}

/**
 * A DynamoDB table with the defaults we want everywhere: on-demand capacity (no idle cost, no
 * throttling to tune), point-in-time recovery, server-side encryption with KMS, and deletion
 * protection where asked.
 */
export class DynamoTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: DynamoTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, 'Table', {
      name: props.name,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: props.partitionKey,
      attribute: [{ name: props.partitionKey, type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      // KMS with the AWS-managed key (aws/dynamodb): encrypted with an auditable key at no key cost.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? false,
      streamEnabled: props.streamViewType !== undefined ? true : undefined,
      streamViewType: props.streamViewType,
      ttl: props.timeToLiveAttribute ? { enabled: true, attributeName: props.timeToLiveAttribute } : undefined,
    });
  }

  /**
   * Lets `grantee` run exactly these item actions on this table, e.g.
   * `table.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem')`. The AWS-managed key needs no KMS grant.
   */
  grant(grantee: IGrantable, ...actions: `dynamodb:${string}`[]): void {
    grantee.grantPrincipal.addStatements({
      sid: `${actions.map(sidPart).join('')}${sidPart(this.node.id)}`,
      actions,
      resources: [this.arn],
    });
  }

  get name(): string {
    return this.table.name;
  }

  get arn(): string {
    return this.table.arn;
  }
}
