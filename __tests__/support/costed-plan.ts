import { CostedPlan } from '../../scripts/lib/cost/plan';

/**
 * A plan in Terraform's JSON format: an HTTP API stage that stays, a stream going from 1 shard to
 * 2, and a new queue, consumer function and event source mapping whose ARNs are unknown until
 * apply (absent from `after`), linked only through the configuration's references.
 */
const arn = (service: string, name: string) => `arn:aws:${service}:us-east-1:123456789012:${name}`;
export const costedPlan: CostedPlan = {
  resource_changes: [
    { address: 'aws_apigatewayv2_stage.Stage', mode: 'managed', type: 'aws_apigatewayv2_stage', change: { actions: ['no-op'], before: { name: '$default', api_id: 'a1b2c3d4e5' }, after: { name: '$default', api_id: 'a1b2c3d4e5' } } },
    {
      address: 'aws_kinesis_stream.Stream',
      mode: 'managed',
      type: 'aws_kinesis_stream',
      change: { actions: ['update'], before: { name: 'events', arn: arn('kinesis', 'stream/events'), shard_count: 1, stream_mode_details: [{ stream_mode: 'PROVISIONED' }] }, after: { name: 'events', arn: arn('kinesis', 'stream/events'), shard_count: 2, stream_mode_details: [{ stream_mode: 'PROVISIONED' }] } },
    },
    { address: 'aws_sqs_queue.Jobs', mode: 'managed', type: 'aws_sqs_queue', change: { actions: ['create'], before: null, after: { name: 'jobs', fifo_queue: false } } },
    { address: 'aws_lambda_function.Worker', mode: 'managed', type: 'aws_lambda_function', change: { actions: ['create'], before: null, after: { function_name: 'worker', memory_size: 256, architectures: ['arm64'] } } },
    { address: 'aws_lambda_event_source_mapping.Consume', mode: 'managed', type: 'aws_lambda_event_source_mapping', change: { actions: ['create'], before: null, after: { batch_size: 10 } } },
  ],
  configuration: {
    provider_config: { aws: { expressions: { region: { constant_value: 'us-east-1' } } } },
    root_module: {
      resources: [
        {
          address: 'aws_lambda_event_source_mapping.Consume',
          expressions: {
            event_source_arn: { references: ['aws_sqs_queue.Jobs.arn', 'aws_sqs_queue.Jobs'] },
            function_name: { references: ['aws_lambda_function.Worker.arn', 'aws_lambda_function.Worker'] },
          },
        },
      ],
    },
  },
};
