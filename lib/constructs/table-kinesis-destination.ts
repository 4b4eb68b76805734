import { Construct } from 'constructs';
import { Annotations } from 'cdktf';
import { DynamodbKinesisStreamingDestination } from '@cdktf/provider-aws/lib/dynamodb-kinesis-streaming-destination';
import { DeploymentTarget } from '../config';
import { DynamoTable } from './dynamodb-table';
import { EncryptedStream } from './kinesis-stream';

export interface TableKinesisDestinationProps {
  readonly table: DynamoTable;
  readonly stream: EncryptedStream;
  /** Where the stack deploys; the destination is left out for `local` (see the class comment). */
  readonly target: DeploymentTarget;
}

/**
 * Kinesis Data Streams for DynamoDB: every item-level change of the table is written to the stream
 * as a DynamoDB change record (`{eventName, dynamodb: {Keys, NewImage, OldImage, ...}}`).
 *
 * The local emulator (moto) does not implement EnableKinesisStreamingDestination, and the provider
 * would retry the call until it times out, so for the `local` target the destination is not created
 * and synth warns instead: locally the stream and its consumer exist but receive no table changes.
 */
export class TableKinesisDestination extends Construct {
  /** The destination; undefined for the `local` target. */
  readonly destination?: DynamodbKinesisStreamingDestination;

  constructor(scope: Construct, id: string, props: TableKinesisDestinationProps) {
    super(scope, id);
    if (props.target === 'local') {
      Annotations.of(this).addWarning(
        `TableKinesisDestination ${this.node.path}: not created for PIPELINES_TARGET=local, because the local emulator ` +
          'does not implement EnableKinesisStreamingDestination (Terraform would retry until it times out). ' +
          'Table changes will not reach the stream locally; deploy with PIPELINES_TARGET=aws for the full pipeline.',
      );
      return;
    }
    this.destination = new DynamodbKinesisStreamingDestination(this, 'Destination', {
      tableName: props.table.name,
      streamArn: props.stream.arn,
      // Explicit, so consumers can rely on ApproximateCreationDateTime being epoch milliseconds.
      approximateCreationDateTimePrecision: 'MILLISECOND',
    });
  }
}
