import { Testing } from 'cdktf';
import { CommentsStack } from '../../stacks/comments/stack';
import { LOCAL_DESTINATION_TAG } from '../../lib/constructs/table-kinesis-destination';
import { loadConfig } from '../../lib/config';

// The local target records the intended Kinesis destination (moto lacks EnableKinesisStreamingDestination)
// so the data plane can supply it: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds.html
describe('TableKinesisDestination on the local target', () => {
  it('enables a DynamoDB stream with both images and tags the table with the destination stream', () => {
    const stack = new CommentsStack(Testing.app(), loadConfig({ env: { PIPELINES_TARGET: 'local' } }));
    const tf = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, any>>> };
    const [table] = Object.values(tf.resource.aws_dynamodb_table);
    expect(table.stream_enabled).toBe(true);
    expect(table.stream_view_type).toBe('NEW_AND_OLD_IMAGES');
    expect(table.tags[LOCAL_DESTINATION_TAG]).toMatch(/aws_kinesis_stream\..*\.arn/);
  });

  it('leaves the aws target\'s table without a stream or the tag', () => {
    const stack = new CommentsStack(Testing.app(), loadConfig({ env: {} }));
    const tf = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, any>>> };
    const [table] = Object.values(tf.resource.aws_dynamodb_table);
    expect(table.stream_enabled).toBeUndefined();
    expect(table.tags?.[LOCAL_DESTINATION_TAG]).toBeUndefined();
  });
});
