import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { MessageQueue } from '../../lib/constructs/message-queue';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { QueueConsumer } from '../../lib/constructs/queue-consumer';
import { RotatingSecret, RotatingSecretProps } from '../../lib/constructs/rotating-secret';
import { WebhookStack } from '../../stacks/webhook/stack';
import { onlyResource, resourcesOf, synthStack, testConfig } from '../support/synth';

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  return s;
}

function consumerFunction(s: TerraformStack, timeout: number): NodejsFunction {
  return new NodejsFunction(s, 'Fn', { functionName: 'test-consumer', entry: 'lambdas/webhook/consumer.ts', logRetentionDays: 7, timeout });
}

describe('QueueConsumer', () => {
  it('refuses a visibility timeout under six times the function timeout, and names the fix', () => {
    const s = stack();
    const queue = new MessageQueue(s, 'Q', { name: 'q', visibilityTimeoutSeconds: 59, maxReceiveCount: 3 });
    expect(() => new QueueConsumer(s, 'C', { queue, function: consumerFunction(s, 10) })).toThrow(
      "QueueConsumer test/C: the queue's visibility timeout (59s) is under 6x the function's timeout (10s); set visibilityTimeoutSeconds to at least 60.",
    );
  });

  it('refuses a queue without a dead-letter queue and out-of-range settings, listing every problem', () => {
    const s = stack();
    const queue = new MessageQueue(s, 'Q', { name: 'q', visibilityTimeoutSeconds: 60 });
    expect(() => new QueueConsumer(s, 'C', { queue, function: consumerFunction(s, 10), batchSize: 11, maximumConcurrency: 1 })).toThrow(
      'QueueConsumer test/C: the queue has no dead-letter queue; give the MessageQueue a maxReceiveCount; batchSize 11 must be from 1 to 10; maximumConcurrency 1 must be from 2 to 1000 (the event source mapping\'s limits).',
    );
  });

  it('defaults to batches of 10 and a concurrency cap of 5', () => {
    const s = stack();
    const queue = new MessageQueue(s, 'Q', { name: 'q', visibilityTimeoutSeconds: 60, maxReceiveCount: 3 });
    new QueueConsumer(s, 'C', { queue, function: consumerFunction(s, 10) });
    const tf = JSON.parse(Testing.synth(s));
    expect(onlyResource(tf, 'aws_lambda_event_source_mapping')).toMatchObject({ batch_size: 10, scaling_config: { maximum_concurrency: 5 } });
  });
});

describe('RotatingSecret', () => {
  const props: RotatingSecretProps = {
    name: 'test/secret',
    region: 'eu-west-1',
    rotationFunctionName: 'test-rotate',
    rotationEntry: 'lambdas/webhook/rotate-secret.ts',
    logRetentionDays: 7,
  };

  it('refuses bad names, rotation periods and recovery windows, listing every problem', () => {
    expect(() => new RotatingSecret(stack(), 'S', { ...props, name: 'bad name', rotationDays: 0, recoveryWindowInDays: 3 })).toThrow(
      'RotatingSecret test/S: name "bad name" may only hold letters, digits and /_+=.@-; rotationDays 0 must be from 1 to 1000; recoveryWindowInDays 3 must be 0 or from 7 to 30.',
    );
  });

  it('defaults to a 30-day rotation and a 30-day recovery window', () => {
    const s = stack();
    new RotatingSecret(s, 'S', props);
    const tf = JSON.parse(Testing.synth(s));
    expect(onlyResource(tf, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(30);
    expect(onlyResource(tf, 'aws_secretsmanager_secret_rotation').rotation_rules).toEqual({ automatically_after_days: 30 });
  });
});

describe('webhook stack on the local emulator target', () => {
  it('has no rotation schedule (moto cannot rotate an empty secret through a Lambda); everything else is the same', () => {
    const local = synthStack((app) => new WebhookStack(app, testConfig({ PIPELINES_TARGET: 'local' })));
    const aws = synthStack((app) => new WebhookStack(app, testConfig()));
    expect(resourcesOf(local, 'aws_secretsmanager_secret_rotation')).toEqual({});
    const types = (tf: typeof aws) => Object.keys(tf.resource ?? {}).filter((t) => t !== 'aws_secretsmanager_secret_rotation').sort();
    expect(types(local)).toEqual(types(aws));
    expect(onlyResource(local, 'aws_secretsmanager_secret')).toEqual(onlyResource(aws, 'aws_secretsmanager_secret'));
  });
});
