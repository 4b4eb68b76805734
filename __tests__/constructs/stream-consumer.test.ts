import { EncryptedStream } from '../../lib/constructs/kinesis-stream';
import { StreamConsumer, StreamConsumerProps } from '../../lib/constructs/stream-consumer';
import { functionPermissions } from '../support/iam';
import { onlyResource, ref, resourcesOf, synthJson, testFunction, testStack } from '../support/synth';

function build(overrides: Partial<StreamConsumerProps>, retentionHours = 24): () => void {
  return () => {
    const stack = testStack();
    const stream = new EncryptedStream(stack, 'Stream', { name: 'other', retentionHours });
    new StreamConsumer(stack, 'Other', { stream, function: testFunction(stack), failureQueueName: 'other-failures', ...overrides });
  };
}

describe('StreamConsumer validation', () => {
  it('refuses infinite retries and unlimited record age, naming the construct and the fix', () => {
    expect(build({ maxRetryAttempts: -1, maxRecordAgeSeconds: -1 })).toThrow(
      /StreamConsumer .*Other: maxRetryAttempts -1 must be from 0 to 10000 \(-1, retry forever.*; maxRecordAgeSeconds -1 must be from 60 to 604800/,
    );
  });

  it('refuses a record age beyond the stream retention', () => {
    expect(build({ maxRecordAgeSeconds: 2 * 86400 })).toThrow(/exceeds the stream's retention \(24 h\).*raise the stream's retentionHours/);
    expect(build({ maxRecordAgeSeconds: 2 * 86400 }, 72)).not.toThrow();
  });

  it('refuses out-of-range batching settings', () => {
    expect(build({ batchSize: 0, maxBatchingWindowSeconds: 301, parallelizationFactor: 11 })).toThrow(
      /batchSize 0 must be from 1 to 10000; maxBatchingWindowSeconds 301 must be from 0 to 300; parallelizationFactor 11 must be from 1 to 10/,
    );
  });
});

describe('StreamConsumer wiring', () => {
  const stack = testStack();
  const stream = new EncryptedStream(stack, 'Changes', { name: 'changes' });
  new StreamConsumer(stack, 'Consuming', { stream, function: testFunction(stack), failureQueueName: 'failures' });
  const tf = synthJson(stack);
  const fnId = Object.keys(resourcesOf(tf, 'aws_lambda_function'))[0];
  const streamId = Object.keys(resourcesOf(tf, 'aws_kinesis_stream'))[0];
  const queueId = Object.keys(resourcesOf(tf, 'aws_sqs_queue'))[0];

  it('is granted by the stream and the failure queue themselves, nothing more', () => {
    expect(functionPermissions(tf, fnId).slice(2)).toEqual([
      expect.objectContaining({ sid: 'ReadChanges', resources: [ref('aws_kinesis_stream', streamId, 'arn')] }),
      expect.objectContaining({ sid: 'SendToFailureQueue', actions: ['sqs:SendMessage'], resources: [ref('aws_sqs_queue', queueId, 'arn')] }),
    ]);
  });

  it('maps with partial batch responses, bisection, finite retries and an on-failure destination', () => {
    expect(onlyResource(tf, 'aws_lambda_event_source_mapping')).toMatchObject({
      function_response_types: ['ReportBatchItemFailures'],
      bisect_batch_on_function_error: true,
      maximum_retry_attempts: 3,
      maximum_record_age_in_seconds: 3600,
      destination_config: { on_failure: { destination_arn: ref('aws_sqs_queue', queueId, 'arn') } },
    });
  });
});
