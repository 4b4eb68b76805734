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
 * Tag on the table that records, for the local target only, the stream its changes go to: the
 * local data plane (`npm run serve:local`) reads it from the emulator and forwards the table's
 * changes itself.
 */
export const LOCAL_DESTINATION_TAG = 'local:kinesis-streaming-destination';

/**
 * Kinesis Data Streams for DynamoDB: every item-level change of the table is written to the stream
 * as a DynamoDB change record (`{eventName, dynamodb: {Keys, NewImage, OldImage, ...}}`).
 *
 * The local emulator (moto) does not implement EnableKinesisStreamingDestination, and the provider
 * would retry the call until it times out, so for the `local` target the destination is not created
 * and synth warns instead. What was intended is still deployed: the table gets a DynamoDB stream
 * (which moto implements) and a tag naming the destination stream, from which `npm run serve:local`
 * forwards every change in the Kinesis Data Streams for DynamoDB record format.
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
          'Table changes reach the stream locally only while `npm run serve:local` runs (it forwards them from a DynamoDB stream); ' +
          'deploy with PIPELINES_TARGET=aws for the real destination.',
      );
      const table = props.table.table;
      table.streamEnabled = true;
      // Both images, as Kinesis Data Streams for DynamoDB always carries them.
      table.streamViewType = 'NEW_AND_OLD_IMAGES';
      table.tags = { ...(table.tagsInput ?? {}), [LOCAL_DESTINATION_TAG]: props.stream.arn };
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
