import { DynamoTable } from '../../lib/constructs/dynamodb-table';
import { EncryptedStream } from '../../lib/constructs/kinesis-stream';
import { MessageQueue } from '../../lib/constructs/message-queue';
import { ServiceRole } from '../../lib/constructs/service-role';
import { functionPermissions, roleStatements } from '../support/iam';
import { ref, resourcesOf, synthJson, testFunction, testStack } from '../support/synth';

/** Every resource grants the same way: exact actions, on its own ARN, to a function or a service role. */
describe('grants', () => {
  const stack = testStack();
  const fn = testFunction(stack);
  const role = new ServiceRole(stack, 'ApiRole', { name: 'api-role', service: 'apigateway.amazonaws.com' });
  const table = new DynamoTable(stack, 'Orders', { name: 'orders', partitionKey: 'id' });
  const queue = new MessageQueue(stack, 'Jobs', { name: 'jobs' });
  const stream = new EncryptedStream(stack, 'Clicks', { name: 'clicks' });
  table.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem');
  queue.grantConsumeMessages(fn);
  stream.grantRead(fn);
  queue.grantSendMessages(role);
  stream.grant(role, 'kinesis:PutRecord');
  const tf = synthJson(stack);
  const arn = (type: string) => ref(type, Object.keys(resourcesOf(tf, type))[0], 'arn');

  it('a function gets exactly what each resource granted, after its own logging and tracing', () => {
    expect(functionPermissions(tf, Object.keys(resourcesOf(tf, 'aws_lambda_function'))[0]).slice(2)).toEqual([
      { sid: 'GetItemPutItemOrders', effect: 'Allow', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [arn('aws_dynamodb_table')] },
      {
        sid: 'ConsumeJobs',
        effect: 'Allow',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [arn('aws_sqs_queue')],
      },
      {
        sid: 'ReadClicks',
        effect: 'Allow',
        actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
        resources: [arn('aws_kinesis_stream')],
      },
    ]);
  });

  it('a service role is granted the same way', () => {
    expect(roleStatements(tf, 'api-role')).toEqual([
      { sid: 'SendToJobs', effect: 'Allow', actions: ['sqs:SendMessage'], resources: [arn('aws_sqs_queue')] },
      { sid: 'PutRecordClicks', effect: 'Allow', actions: ['kinesis:PutRecord'], resources: [arn('aws_kinesis_stream')] },
    ]);
  });
});
