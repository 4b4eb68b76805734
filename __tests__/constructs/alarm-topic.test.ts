import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AlarmTopic, subscriptionId } from '../../lib/constructs/alarm-topic';
import { allStacks } from '../support/all-stacks';
import { onlyResource, policyStatements, ref, resourcesOf, TfJson } from '../support/synth';

function synth(build: (s: TerraformStack) => void): TfJson {
  const s = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(s, 'aws', { region: 'eu-west-1' });
  build(s);
  return JSON.parse(Testing.synth(s)) as TfJson;
}

describe('AlarmTopic', () => {
  const tf = synth((s) => new AlarmTopic(s, 'Alarms', { name: 'sp-dev-x-alarms', emails: ['oncall@example.com', 'team@example.org'] }));
  const keyId = Object.keys(resourcesOf(tf, 'aws_kms_key'))[0];
  const topicId = Object.keys(resourcesOf(tf, 'aws_sns_topic'))[0];

  it('encrypts the topic with its own rotating key', () => {
    expect(onlyResource(tf, 'aws_sns_topic')).toMatchObject({ name: 'sp-dev-x-alarms', kms_master_key_id: ref('aws_kms_key', keyId, 'arn') });
    expect(onlyResource(tf, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    expect(onlyResource(tf, 'aws_kms_alias')).toMatchObject({ name: 'alias/sp-dev-x-alarms' });
  });

  it('lets CloudWatch, for this account only, use the key and publish, with exact actions', () => {
    const keyStatements = policyStatements(tf, onlyResource(tf, 'aws_kms_key').policy);
    const cloudWatch = keyStatements.find((s) => s.sid === 'CloudWatchAlarmsPublish')!;
    expect(cloudWatch).toMatchObject({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\.[^.]+\.account_id\}$/)] }],
    });
    const account = keyStatements.find((s) => s.sid === 'AccountManagesAndUsesTheKey')!;
    expect((account.actions as string[]).every((a) => /^kms:[A-Za-z]+$/.test(a))).toBe(true);
    expect(account.actions).toContain('kms:PutKeyPolicy');

    const topicPolicy = onlyResource(tf, 'aws_sns_topic_policy');
    expect(topicPolicy.arn).toBe(ref('aws_sns_topic', topicId, 'arn'));
    expect(policyStatements(tf, topicPolicy.policy)).toEqual([
      expect.objectContaining({ actions: ['sns:Publish'], resources: [ref('aws_sns_topic', topicId, 'arn')], condition: cloudWatch.condition }),
    ]);
  });

  it('subscribes each e-mail address', () => {
    expect(Object.values(resourcesOf(tf, 'aws_sns_topic_subscription')).map((s) => [s.protocol, s.endpoint])).toEqual([
      ['email', 'oncall@example.com'],
      ['email', 'team@example.org'],
    ]);
  });

  it('keys each subscription by its address, so removing one leaves the others untouched', () => {
    const subscriptions = (emails: string[]) =>
      Object.fromEntries(
        Object.entries(resourcesOf(synth((s) => new AlarmTopic(s, 'Alarms', { name: 'a', emails })), 'aws_sns_topic_subscription')).map(([id, sub]) => [String(sub.endpoint), id]),
      );
    const before = subscriptions(['a@example.com', 'b@example.com', 'c@example.com']);
    const after = subscriptions(['b@example.com', 'c@example.com']);
    expect(new Set(Object.values(before)).size).toBe(3);
    expect(after).toEqual({ 'b@example.com': before['b@example.com'], 'c@example.com': before['c@example.com'] });
    // Readable in a plan, and distinct for addresses that sanitize alike.
    expect(before['a@example.com']).toMatch(/a-example-com/);
    expect(subscriptionId('a.b@example.com')).not.toBe(subscriptionId('a-b@example.com'));
  });

  it('refuses an address listed twice (in any case), naming it', () => {
    expect(() => synth((s) => new AlarmTopic(s, 'Alarms', { name: 'a', emails: ['a@example.com', 'A@Example.com'] }))).toThrow('"A@Example.com" is listed twice');
  });

  it('refuses an address that is not one, naming it', () => {
    expect(() => synth((s) => new AlarmTopic(s, 'Alarms', { name: 'a', emails: ['oncall'] }))).toThrow('AlarmTopic test/Alarms: "oncall" is not an e-mail address.');
  });
});

/** A pipeline serves an API; the bootstrap stacks (state bucket, account settings) do not. */
const isPipeline = (tf: TfJson) => Object.keys(resourcesOf(tf, 'aws_api_gateway_rest_api')).length + Object.keys(resourcesOf(tf, 'aws_apigatewayv2_api')).length > 0;

describe('alarm routing in the app', () => {
  const stacksWith = allStacks;

  it('gives each pipeline its own topic, and the bootstrap stacks none', () => {
    for (const [id, tf] of stacksWith({})) {
      if (!isPipeline(tf)) {
        expect({ id, topics: Object.keys(resourcesOf(tf, 'aws_sns_topic')) }).toEqual({ id, topics: [] });
        continue;
      }
      expect({ id, topics: Object.values(resourcesOf(tf, 'aws_sns_topic')).map((t) => t.name) }).toEqual({ id, topics: [expect.stringMatching(/^sp-dev-[a-z]+-alarms$/)] });
      expect(tf.output?.alarm_topic_arn).toBeDefined();
    }
  });

  it('creates no topic or key when PIPELINES_ALARM_TOPIC_ARN names one, and points every alarm at it', () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:pager';
    for (const [id, tf] of stacksWith({ PIPELINES_ALARM_TOPIC_ARN: arn })) {
      expect({ id, topics: Object.keys(resourcesOf(tf, 'aws_sns_topic')), subscriptions: Object.keys(resourcesOf(tf, 'aws_sns_topic_subscription')) }).toEqual({ id, topics: [], subscriptions: [] });
      for (const [alarm, config] of Object.entries(resourcesOf(tf, 'aws_cloudwatch_metric_alarm'))) {
        expect({ alarm, actions: config.alarm_actions, ok: config.ok_actions }).toEqual({ alarm, actions: [arn], ok: [arn] });
      }
    }
  });

  it('subscribes PIPELINES_ALARM_EMAILS to every pipeline topic', () => {
    const tf = stacksWith({ PIPELINES_ALARM_EMAILS: 'oncall@example.com' }).get('apigw-sqs-lambda-dynamodb')!;
    expect(onlyResource(tf, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com' });
  });
});
