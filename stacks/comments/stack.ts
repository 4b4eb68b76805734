import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelinesConfig } from '../../lib/config';
import { apiDefaults, PipelineStack } from '../../lib/pipeline-stack';
import { DynamoTable } from '../../lib/constructs/dynamodb-table';
import { EncryptedStream } from '../../lib/constructs/kinesis-stream';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { StreamConsumer } from '../../lib/constructs/stream-consumer';
import { TableKinesisDestination } from '../../lib/constructs/table-kinesis-destination';
import { CommentApi } from './comment-api';

export const COMMENTS_STACK = 'apigw-dynamodb-kinesis-lambda';

/**
 * Seed 000: `POST /comment` writes straight to DynamoDB; the table streams its changes to an
 * encrypted Kinesis stream; a TypeScript Lambda decodes and logs each change, with failed records
 * retried, then parked in an alarmed queue.
 */
export class CommentsStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, COMMENTS_STACK, { config, shortName: 'comments' });

    const table = new DynamoTable(this, 'Comments', {
      name: `${this.namePrefix}-comments`,
      partitionKey: 'id',
      deletionProtection: config.environment === 'prod',
    });
    const stream = new EncryptedStream(this, 'Changes', { name: `${this.namePrefix}-changes` });
    new TableKinesisDestination(this, 'TableToStream', { table, stream, target: config.target });

    const api = new CommentApi(this, 'Api', {
      name: `${this.namePrefix}-api`,
      table,
      region: config.region,
      ...apiDefaults(config),
    });

    const consumer = new NodejsFunction(this, 'Consumer', {
      functionName: `${this.namePrefix}-consumer`,
      entry: 'lambdas/comments/consumer.ts',
      description: 'Decodes and logs the comment changes DynamoDB streams to Kinesis',
      logRetentionDays: config.logRetentionDays,
      timeout: 30,
    });
    const consuming = new StreamConsumer(this, 'Consuming', {
      stream,
      function: consumer,
      failureQueueName: `${this.namePrefix}-consumer-failures`,
      iteratorAgeAlarmMs: config.alarmIteratorAgeSeconds * 1000,
    });

    // Request path: API -> table -> change stream -> consumer -> its iterator age and failed batches.
    const monitoring = this.addMonitoring([api.api, table, stream, consumer, consuming]);
    new TerraformOutput(this, 'dashboard_name', { value: monitoring.dashboardName, description: 'CloudWatch dashboard of this pipeline' });
    new TerraformOutput(this, 'alarm_topic_arn', { value: monitoring.alarmTopicArn, description: 'SNS topic every alarm of this pipeline notifies' });


    new TerraformOutput(this, 'api_url', { value: api.url, description: 'Base URL of the comments API stage' });
    new TerraformOutput(this, 'table_name', { value: table.name });
    new TerraformOutput(this, 'stream_name', { value: stream.name });
    new TerraformOutput(this, 'consumer_function_name', { value: consumer.functionName });
    new TerraformOutput(this, 'consumer_log_group', { value: consumer.logGroup.name });
    new TerraformOutput(this, 'failure_queue_url', { value: consuming.failureQueue.url });
  }
}
