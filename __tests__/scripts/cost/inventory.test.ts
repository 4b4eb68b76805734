import { block, inventoryFromConfig, inventoryFromValues } from '../../../scripts/lib/cost/inventory';

const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

describe('inventoryFromConfig', () => {
  it('links a resource to every resource its attributes reference, by top-level attribute', () => {
    const inventory = inventoryFromConfig({
      resource: {
        aws_sqs_queue: { Jobs: { name: 'jobs', redrive_policy: '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.Dlq.arn})}' }, Dlq: { name: 'jobs-dlq' } },
        aws_lambda_event_source_mapping: { M: { event_source_arn: '${aws_sqs_queue.Jobs.arn}', destination_config: { on_failure: { destination_arn: '${aws_sqs_queue.Dlq.arn}' } } } },
      },
    });
    expect(inventory.links).toEqual([
      { from: 'aws_sqs_queue.Jobs', to: 'aws_sqs_queue.Dlq', attribute: 'redrive_policy' },
      { from: 'aws_lambda_event_source_mapping.M', to: 'aws_sqs_queue.Jobs', attribute: 'event_source_arn' },
      { from: 'aws_lambda_event_source_mapping.M', to: 'aws_sqs_queue.Dlq', attribute: 'destination_config' },
    ]);
  });
});

describe('inventoryFromValues', () => {
  it('links by the concrete ARN or name an attribute holds, not by an ARN that merely starts the same', () => {
    const inventory = inventoryFromValues([
      { address: 'aws_sqs_queue.Jobs', type: 'aws_sqs_queue', values: { name: 'jobs', arn: arn('jobs') } },
      { address: 'aws_sqs_queue.Dlq', type: 'aws_sqs_queue', values: { name: 'jobs-dlq', arn: arn('jobs-dlq') } },
      { address: 'aws_lambda_event_source_mapping.M', type: 'aws_lambda_event_source_mapping', values: { event_source_arn: arn('jobs-dlq') } },
    ]);
    expect(inventory.links).toEqual([{ from: 'aws_lambda_event_source_mapping.M', to: 'aws_sqs_queue.Dlq', attribute: 'event_source_arn' }]);
  });
});

describe('block', () => {
  it('reads a nested block written as an object (cdk.tf.json) or as a one-element list (plan JSON)', () => {
    expect(block({ b: { x: 1 } }, 'b')).toEqual({ x: 1 });
    expect(block({ b: [{ x: 1 }] }, 'b')).toEqual({ x: 1 });
    expect(block({}, 'b')).toEqual({});
  });
});
