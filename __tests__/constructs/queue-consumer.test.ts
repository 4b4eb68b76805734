import { MessageQueue } from '../../lib/constructs/message-queue';
import { QueueConsumer } from '../../lib/constructs/queue-consumer';
import { onlyResource, synthJson, testFunction, testStack } from '../support/synth';

describe('QueueConsumer', () => {
  it('refuses a visibility timeout under six times the function timeout, and names the fix', () => {
    const s = testStack();
    const queue = new MessageQueue(s, 'Q', { name: 'q', visibilityTimeoutSeconds: 59, maxReceiveCount: 3 });
    expect(() => new QueueConsumer(s, 'C', { queue, function: testFunction(s, 'Fn', 10) })).toThrow(
      "QueueConsumer test/C: the queue's visibility timeout (59s) is under 6x the function's timeout (10s); set visibilityTimeoutSeconds to at least 60.",
    );
  });

  it('refuses a queue without a dead-letter queue and out-of-range settings, listing every problem', () => {
    const s = testStack();
    const queue = new MessageQueue(s, 'Q', { name: 'q', visibilityTimeoutSeconds: 60 });
    expect(() => new QueueConsumer(s, 'C', { queue, function: testFunction(s, 'Fn', 10), batchSize: 11, maximumConcurrency: 1 })).toThrow(
      'QueueConsumer test/C: the queue has no dead-letter queue; give the MessageQueue a maxReceiveCount; batchSize 11 must be from 1 to 10; maximumConcurrency 1 must be from 2 to 1000 (the event source mapping\'s limits).',
    );
  });

  it('defaults to batches of 10 and a concurrency cap of 5', () => {
    const s = testStack();
    const queue = new MessageQueue(s, 'Q', { name: 'q', visibilityTimeoutSeconds: 60, maxReceiveCount: 3 });
    new QueueConsumer(s, 'C', { queue, function: testFunction(s, 'Fn', 10) });
    const tf = synthJson(s);
    expect(onlyResource(tf, 'aws_lambda_event_source_mapping')).toMatchObject({ batch_size: 10, scaling_config: { maximum_concurrency: 5 } });
  });
});
