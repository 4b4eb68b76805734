import { AccessRequest, evaluate, PolicyDocument, PolicyEvaluationError, Statement, wildcard } from '../../local/iam/policy-evaluation';

// AWS's policy evaluation logic and the examples of the policy element reference:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
const ROLE = 'arn:aws:iam::123456789012:role/sp-dev-kproxy-integration';
const SESSION = 'arn:aws:sts::123456789012:assumed-role/sp-dev-kproxy-integration/apigateway-local';
const EVENTS = 'arn:aws:kinesis:us-east-1:123456789012:stream/sp-dev-kproxy-events';
const ORDERS = 'arn:aws:kinesis:us-east-1:123456789012:stream/sp-dev-kput-orders';
const request = (action: string, resource: string, context?: AccessRequest['context']): AccessRequest => ({
  action,
  resource,
  principal: { arns: [SESSION, ROLE], accountId: '123456789012' },
  context,
});
const policy = (...Statement: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const readEvents = policy({ Effect: 'Allow', Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator'], Resource: EVENTS });

describe('policy evaluation: identity policies', () => {
  it.each([
    ['an action allowed on its exact ARN', request('kinesis:GetRecords', EVENTS), [readEvents], 'allow'],
    ['the same action on another stream (implicit deny)', request('kinesis:GetRecords', ORDERS), [readEvents], 'implicit-deny'],
    ['an action nobody allowed', request('kinesis:PutRecord', EVENTS), [readEvents], 'implicit-deny'],
    ['no policy at all', request('kinesis:GetRecords', EVENTS), [], 'implicit-deny'],
    ['action names case-insensitively', request('kinesis:getrecords', EVENTS), [readEvents], 'allow'],
    ['an action wildcard', request('kinesis:GetShardIterator', EVENTS), [policy({ Effect: 'Allow', Action: 'kinesis:Get*', Resource: EVENTS })], 'allow'],
    ['a resource wildcard, case-sensitive', request('kinesis:GetRecords', EVENTS), [policy({ Effect: 'Allow', Action: 'kinesis:*', Resource: 'arn:aws:kinesis:us-east-1:123456789012:stream/SP-*' })], 'implicit-deny'],
    ['a ? wildcard matches one character', request('kinesis:GetRecords', EVENTS), [policy({ Effect: 'Allow', Action: 'kinesis:GetRecord?', Resource: '*' })], 'allow'],
    [
      'an explicit deny beats an allow, in another policy too',
      request('kinesis:GetRecords', EVENTS),
      [readEvents, policy({ Effect: 'Deny', Action: 'kinesis:*', Resource: '*' })],
      'explicit-deny',
    ],
    ['Allow with NotAction: everything but IAM', request('kinesis:PutRecord', EVENTS), [policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], 'allow'],
    ['Allow with NotAction does not allow the excluded action', request('iam:CreateUser', 'arn:aws:iam::123456789012:user/x'), [policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], 'implicit-deny'],
    [
      'Deny with NotResource: denies every other resource',
      request('kinesis:GetRecords', ORDERS),
      [policy({ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }, { Effect: 'Deny', Action: 'kinesis:*', NotResource: EVENTS })],
      'explicit-deny',
    ],
    [
      'Deny with NotResource leaves the named resource alone',
      request('kinesis:GetRecords', EVENTS),
      [policy({ Effect: 'Allow', Action: 'kinesis:*', Resource: '*' }, { Effect: 'Deny', Action: 'kinesis:*', NotResource: EVENTS })],
      'allow',
    ],
  ])('%s', (_, req, identity, expected) => {
    expect(evaluate(req, { identity })).toBe(expected);
  });
});

describe('policy evaluation: conditions', () => {
  const viaKinesis = policy({ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com' } } });
  const key = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  it.each([
    ['StringEquals holds', { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com' }, [viaKinesis], 'allow'],
    ['StringEquals fails on another value', { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' }, [viaKinesis], 'implicit-deny'],
    ['a missing key fails a non-negated operator', {}, [viaKinesis], 'implicit-deny'],
    ['condition key names are case-insensitive', { 'KMS:VIASERVICE': 'kinesis.us-east-1.amazonaws.com' }, [viaKinesis], 'allow'],
    [
      'Deny on Bool aws:SecureTransport false applies to plain HTTP',
      { 'aws:SecureTransport': 'false' },
      [policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
      'explicit-deny',
    ],
    [
      'a negated operator holds when the key is missing',
      {},
      [policy({ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceAccount': '999999999999' } } })],
      'allow',
    ],
    [
      'IfExists holds when the key is missing',
      {},
      [policy({ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEqualsIfExists: { 'kms:ViaService': 'x' } } })],
      'allow',
    ],
    [
      'StringLike with a wildcard',
      { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com' },
      [policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { StringLike: { 'kms:ViaService': 'kinesis.*.amazonaws.com' } } })],
      'allow',
    ],
    [
      'values of one key are ORed, keys and operators ANDed',
      { 'kms:ViaService': 'kinesis.us-east-1.amazonaws.com', 'kms:CallerAccount': '111111111111' },
      [policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': ['sqs.us-east-1.amazonaws.com', 'kinesis.us-east-1.amazonaws.com'], 'kms:CallerAccount': '123456789012' } } })],
      'implicit-deny',
    ],
  ])('%s', (_, context, identity, expected) => {
    expect(evaluate(request('kms:GenerateDataKey', key, context), { identity })).toBe(expected);
  });

  it('refuses to guess an operator it does not implement (fails closed, naming it)', () => {
    const odd = policy({ Sid: 'Odd', Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } });
    expect(() => evaluate(request('kinesis:GetRecords', EVENTS), { identity: [odd] })).toThrow(PolicyEvaluationError);
    expect(() => evaluate(request('kinesis:GetRecords', EVENTS), { identity: [odd] })).toThrow(/condition operator DateGreaterThan \(statement Odd\)/);
  });
});

describe('policy evaluation: resource policies (same account)', () => {
  const key = 'arn:aws:kms:us-east-1:123456789012:key/k';
  it.each([
    ['a key policy that names the role allows without any identity policy', [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }], 'allow'],
    ['a key policy for another role does not', [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/other' }, Action: 'kms:Decrypt', Resource: '*' }], 'implicit-deny'],
    ['Principal "*" applies to everyone', [{ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }], 'allow'],
    ['an explicit deny in the resource policy wins over the identity policy', [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }], 'explicit-deny'],
  ] as [string, Statement[], string][])('%s', (_, statements, expected) => {
    const identity = expected === 'explicit-deny' ? [policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' })] : [];
    expect(evaluate(request('kms:Decrypt', key), { identity, resource: [policy(...statements)] })).toBe(expected);
  });
});

describe('wildcards', () => {
  it('escape every other regular-expression character', () => {
    expect(wildcard('arn:aws:s3:::bucket.name/(a)+', 'arn:aws:s3:::bucket.name/(a)+', false)).toBe(true);
    expect(wildcard('arn:aws:s3:::bucket.name', 'arn:aws:s3:::bucketXname', false)).toBe(false);
  });
});
