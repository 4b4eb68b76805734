import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { throwIfProblems } from './errors';
import { policyDocument } from './policy-document';

export interface AlarmTopicProps {
  /** Physical topic name; the key's alias is `alias/<name>`. */
  readonly name: string;
  /**
   * E-mail addresses subscribed to the topic. Each recipient must confirm the subscription from the
   * message AWS sends; until then nothing is delivered to them. @default none
   */
  readonly emails?: readonly string[];
}

/**
 * The SNS topic a pipeline's alarms publish to, encrypted at rest with its own KMS key.
 *
 * The AWS-managed aws/sns key cannot be used: its policy does not let CloudWatch alarms use it, and
 * it cannot be edited, so alarm actions would fail ("CloudWatch Alarms does not have authorization
 * to access the SNS topic encryption key"). The customer-managed key here lets the CloudWatch
 * service generate data keys and decrypt, on behalf of this account only.
 * https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const emails = props.emails ?? [];
    throwIfProblems(
      this,
      [
        ...emails.filter((e) => !/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(e)).map((e) => `"${e}" is not an e-mail address`),
        ...emails.filter((e, i) => emails.findIndex((other) => subscriptionId(other) === subscriptionId(e)) !== i).map((e) => `"${e}" is listed twice`),
      ],
    );

    const account = new DataAwsCallerIdentity(this, 'Account').accountId;
    const partition = new DataAwsPartition(this, 'Partition').partition;
    const thisAccount = [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }];

    // In a key policy "*" is the key itself. Without the first statement the account could not
    // manage the key at all (KMS refuses a policy that locks its caller out); it lets IAM policies
    // of the account grant these exact actions, and nothing else.
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
    const keyPolicy = policyDocument(this, 'KeyPolicy', [
      {
        sid: 'AccountManagesAndUsesTheKey',
        actions: KEY_ADMINISTRATION_AND_USE,
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [`arn:${partition}:iam::${account}:root`] }],
      },
      {
        sid: 'CloudWatchAlarmsPublish',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        conditions: thisAccount,
      },
    ]);
    this.key = new KmsKey(this, 'Key', {
      description: `Encrypts the alarm topic ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicy.json,
    });
    new KmsAlias(this, 'KeyAlias', { name: `alias/${props.name}`, targetKeyId: this.key.keyId });

    this.topic = new SnsTopic(this, 'Topic', { name: props.name, kmsMasterKeyId: this.key.arn });

    // Alarms of this account, and no other service or account, may publish. Principals of the
    // account keep what their IAM policies give them (a resource policy is not needed for those).
    // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
    const topicPolicy = policyDocument(this, 'TopicPolicyDocument', [
      {
        sid: 'CloudWatchAlarmsPublish',
        actions: ['sns:Publish'],
        resources: [this.topic.arn],
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        conditions: thisAccount,
      },
    ]);
    new SnsTopicPolicy(this, 'TopicPolicy', { arn: this.topic.arn, policy: topicPolicy.json });

    // Keyed by address, not by list position: `endpoint` forces replacement, and a replaced e-mail
    // subscription is a new one its recipient must confirm again. With the address in the id,
    // removing one address destroys only its own subscription.
    // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/sns_topic_subscription
    for (const email of emails) {
      new SnsTopicSubscription(this, subscriptionId(email), { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
  }

  get arn(): string {
    return this.topic.arn;
  }
}

/**
 * A construct id that stays with one address: readable (letters and digits of the address) and
 * unique (a short hash of the whole, lower-cased address: SNS e-mail endpoints are the address as
 * given, and two spellings differing only in case reach the same mailbox).
 */
export function subscriptionId(email: string): string {
  const normalized = email.trim().toLowerCase();
  const readable = normalized.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48);
  return `Email-${readable}-${createHash('sha256').update(normalized).digest('hex').slice(0, 8)}`;
}

/** Key administration and use by the account's own IAM principals; exact actions, no `kms:*`. */
const KEY_ADMINISTRATION_AND_USE = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];
