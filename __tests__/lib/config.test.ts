import { ConfigError, loadConfig, SETTINGS } from '../../lib/config';

function problemsOf(env: Record<string, string>, context: Record<string, unknown> = {}): string[] {
  try {
    loadConfig({ env, context: (key) => context[key] });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadConfig defaults', () => {
  it('needs no setting at all, so synth runs offline with no credentials', () => {
    expect(loadConfig({ env: {} })).toEqual({
      environment: 'dev',
      region: 'us-east-1',
      stateBucket: 'serverless-pipelines-tfstate-dev',
      stateRegion: 'us-east-1',
      stateKeyPrefix: 'serverless-pipelines',
      logRetentionDays: 30,
      apiRateLimit: 50,
      apiBurstLimit: 100,
      apiQuotaPerDay: 10000,
      target: 'aws',
      localEndpoint: 'http://127.0.0.1:5000',
      localGatewayPort: 4010,
      proxyStreams: ['events'],
      putRecordStreams: ['orders', 'clicks'],
      apigwAccountRole: 'manage',
      alarmEmails: [],
      alarmTopicArn: undefined,
      alarmApiErrorPercent: 1,
      alarmApiLatencyMs: 3000,
      alarmLambdaErrors: 1,
      alarmLambdaThrottles: 1,
      alarmLambdaDurationPercent: 80,
      alarmQueueAgeSeconds: 600,
      alarmIteratorAgeSeconds: 600,
      alarmDynamodbThrottles: 1,
    });
  });

  it('derives the state bucket from the environment and the state region from the region', () => {
    const config = loadConfig({ env: { PIPELINES_ENV: 'prod', PIPELINES_REGION: 'eu-west-1' } });
    expect(config.stateBucket).toBe('serverless-pipelines-tfstate-prod');
    expect(config.stateRegion).toBe('eu-west-1');
  });
});

describe('loadConfig sources', () => {
  it('reads cdktf context', () => {
    const config = loadConfig({ env: {}, context: (key) => ({ environment: 'staging', logRetentionDays: 90 })[key] });
    expect(config.environment).toBe('staging');
    expect(config.logRetentionDays).toBe(90);
  });

  it('lets environment variables win over context', () => {
    const config = loadConfig({ env: { PIPELINES_ENV: 'qa' }, context: (key) => ({ environment: 'staging' })[key] });
    expect(config.environment).toBe('qa');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ env: { PIPELINES_ENV: '' } }).environment).toBe('dev');
  });

  it('reads alarm routing and thresholds', () => {
    const config = loadConfig({
      env: { PIPELINES_ALARM_EMAILS: 'oncall@example.com, team@example.org', PIPELINES_ALARM_LAMBDA_ERRORS: '5' },
      context: (key) => ({ alarmQueueAgeSeconds: 900 })[key],
    });
    expect(config.alarmEmails).toEqual(['oncall@example.com', 'team@example.org']);
    expect(config.alarmLambdaErrors).toBe(5);
    expect(config.alarmQueueAgeSeconds).toBe(900);
    const routed = loadConfig({ env: { PIPELINES_REGION: 'eu-west-1', PIPELINES_ALARM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:pager' } });
    expect(routed.alarmTopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:pager');
  });

  it('parses lists and trims a trailing slash from the endpoint', () => {
    const config = loadConfig({ env: { PIPELINES_PUTRECORD_STREAMS: 'a, b-2 ,c', PIPELINES_LOCAL_ENDPOINT: 'http://localhost:4566/', PIPELINES_TARGET: 'local' } });
    expect(config.putRecordStreams).toEqual(['a', 'b-2', 'c']);
    expect(config.localEndpoint).toBe('http://localhost:4566');
    expect(config.target).toBe('local');
  });
});

describe('loadConfig validation', () => {
  it.each([
    ['environment', { PIPELINES_ENV: 'Prod!' }, /PIPELINES_ENV="Prod!": must be 2-12 lowercase.*Fix: set PIPELINES_ENV/],
    ['environment length', { PIPELINES_ENV: 'averyverylongenvironment' }, /PIPELINES_ENV/],
    ['region', { PIPELINES_REGION: 'europe' }, /PIPELINES_REGION="europe": is not an AWS region name\. Fix: set PIPELINES_REGION/],
    ['state region', { PIPELINES_STATE_REGION: 'us_east_1' }, /PIPELINES_STATE_REGION/],
    ['bucket', { PIPELINES_STATE_BUCKET: 'My_Bucket' }, /PIPELINES_STATE_BUCKET="My_Bucket": is not a valid S3 bucket name.*Fix:/],
    ['bucket as IP', { PIPELINES_STATE_BUCKET: '192.168.1.1' }, /PIPELINES_STATE_BUCKET/],
    ['bucket with ..', { PIPELINES_STATE_BUCKET: 'a..b' }, /PIPELINES_STATE_BUCKET/],
    ['key prefix', { PIPELINES_STATE_KEY_PREFIX: '/leading' }, /PIPELINES_STATE_KEY_PREFIX="\/leading": must be path segments/],
    ['key prefix trailing', { PIPELINES_STATE_KEY_PREFIX: 'a//b' }, /PIPELINES_STATE_KEY_PREFIX/],
    ['retention', { PIPELINES_LOG_RETENTION_DAYS: '10' }, /PIPELINES_LOG_RETENTION_DAYS="10": is not a retention CloudWatch Logs accepts.*Fix:/],
    ['rate', { PIPELINES_API_RATE_LIMIT: '0' }, /PIPELINES_API_RATE_LIMIT="0": must be a whole number from 1 to 10000/],
    ['rate not a number', { PIPELINES_API_RATE_LIMIT: 'fast' }, /PIPELINES_API_RATE_LIMIT/],
    ['burst', { PIPELINES_API_BURST_LIMIT: '1.5' }, /PIPELINES_API_BURST_LIMIT="1.5": must be a whole number/],
    ['burst below rate', { PIPELINES_API_RATE_LIMIT: '200', PIPELINES_API_BURST_LIMIT: '100' }, /PIPELINES_API_BURST_LIMIT="100": must be at least the rate limit \(200\).*Fix: raise/],
    ['quota', { PIPELINES_API_QUOTA_PER_DAY: '-5' }, /PIPELINES_API_QUOTA_PER_DAY/],
    ['target', { PIPELINES_TARGET: 'azure' }, /PIPELINES_TARGET="azure": must be "aws" or "local"/],
    ['endpoint', { PIPELINES_LOCAL_ENDPOINT: 'localhost:5000' }, /PIPELINES_LOCAL_ENDPOINT="localhost:5000": must be an http\(s\) URL/],
    ['endpoint with path', { PIPELINES_LOCAL_ENDPOINT: 'http://127.0.0.1:5000/moto' }, /PIPELINES_LOCAL_ENDPOINT/],
    ['gateway port', { PIPELINES_LOCAL_GATEWAY_PORT: '80' }, /PIPELINES_LOCAL_GATEWAY_PORT="80": must be a whole number from 1024 to 65535\. Fix: set PIPELINES_LOCAL_GATEWAY_PORT/],
    ['gateway port not a number', { PIPELINES_LOCAL_GATEWAY_PORT: 'http' }, /PIPELINES_LOCAL_GATEWAY_PORT/],
    ['gateway port on the emulator', { PIPELINES_LOCAL_GATEWAY_PORT: '5000' }, /PIPELINES_LOCAL_GATEWAY_PORT="5000": is the emulator's own port/],
    ['proxy streams', { PIPELINES_PROXY_STREAMS: 'Events' }, /PIPELINES_PROXY_STREAMS="Events": must be 1-10 distinct/],
    ['duplicate streams', { PIPELINES_PUTRECORD_STREAMS: 'a,a' }, /PIPELINES_PUTRECORD_STREAMS/],
    ['empty stream name', { PIPELINES_PUTRECORD_STREAMS: 'a,,b' }, /PIPELINES_PUTRECORD_STREAMS/],
    ['alarm e-mail', { PIPELINES_ALARM_EMAILS: 'oncall@example.com,nobody' }, /PIPELINES_ALARM_EMAILS="oncall@example.com,nobody": "nobody" is not an e-mail address\. Fix: set PIPELINES_ALARM_EMAILS/],
    ['duplicate alarm e-mails', { PIPELINES_ALARM_EMAILS: 'a@b.co,a@b.co' }, /PIPELINES_ALARM_EMAILS=.*must be at most 10 distinct addresses/],
    ['alarm topic ARN', { PIPELINES_ALARM_TOPIC_ARN: 'arn:aws:sqs:us-east-1:123456789012:q' }, /PIPELINES_ALARM_TOPIC_ARN=.*is not the ARN of a standard SNS topic.*Fix: set PIPELINES_ALARM_TOPIC_ARN/],
    ['FIFO alarm topic', { PIPELINES_ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alarms.fifo' }, /PIPELINES_ALARM_TOPIC_ARN/],
    ['alarm topic in another region', { PIPELINES_ALARM_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:pager' }, /is in eu-west-1, but alarms can only notify a topic in their own region \(us-east-1\)\. Fix: use a topic in us-east-1/],
    ['e-mails with a topic ARN', { PIPELINES_ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:pager', PIPELINES_ALARM_EMAILS: 'a@b.co' }, /PIPELINES_ALARM_EMAILS="a@b.co": cannot be subscribed when PIPELINES_ALARM_TOPIC_ARN is set.*Fix: subscribe the addresses to that topic yourself/],
    ['API error percent', { PIPELINES_ALARM_API_ERROR_PERCENT: '0' }, /PIPELINES_ALARM_API_ERROR_PERCENT="0": must be a whole number from 1 to 100\. Fix: set PIPELINES_ALARM_API_ERROR_PERCENT/],
    ['API latency', { PIPELINES_ALARM_API_LATENCY_MS: '60000' }, /PIPELINES_ALARM_API_LATENCY_MS="60000": must be a whole number from 10 to 30000/],
    ['Lambda errors', { PIPELINES_ALARM_LAMBDA_ERRORS: 'many' }, /PIPELINES_ALARM_LAMBDA_ERRORS/],
    ['Lambda throttles', { PIPELINES_ALARM_LAMBDA_THROTTLES: '0' }, /PIPELINES_ALARM_LAMBDA_THROTTLES/],
    ['duration percent', { PIPELINES_ALARM_LAMBDA_DURATION_PERCENT: '120' }, /PIPELINES_ALARM_LAMBDA_DURATION_PERCENT="120": must be a whole number from 10 to 100/],
    ['queue age', { PIPELINES_ALARM_QUEUE_AGE_SECONDS: '30' }, /PIPELINES_ALARM_QUEUE_AGE_SECONDS="30": must be a whole number from 60 to 1209600/],
    ['iterator age', { PIPELINES_ALARM_ITERATOR_AGE_SECONDS: '1.5' }, /PIPELINES_ALARM_ITERATOR_AGE_SECONDS/],
    ['DynamoDB throttles', { PIPELINES_ALARM_DYNAMODB_THROTTLES: '-1' }, /PIPELINES_ALARM_DYNAMODB_THROTTLES/],
    [
      'API Gateway account role mode',
      { PIPELINES_APIGW_ACCOUNT_ROLE: 'keep' },
      /PIPELINES_APIGW_ACCOUNT_ROLE="keep": must be "manage" or "existing"\. Fix: set PIPELINES_APIGW_ACCOUNT_ROLE=existing if the account already has/,
    ],
  ])('rejects a bad %s, naming the setting and the fix', (_, env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('names the context key when the bad value came from context', () => {
    expect(problemsOf({}, { environment: 'BAD' })).toEqual([expect.stringMatching(/^context "environment"="BAD": /)]);
  });

  it('reports every problem at once in one error', () => {
    expect(() => loadConfig({ env: { PIPELINES_ENV: 'X', PIPELINES_REGION: 'nowhere', PIPELINES_LOG_RETENTION_DAYS: '2' } })).toThrow(
      /Invalid serverless-pipelines configuration \(3 problems\):\n  - PIPELINES_ENV.*\n  - PIPELINES_REGION.*\n  - PIPELINES_LOG_RETENTION_DAYS/,
    );
  });

  it('documents every setting', () => {
    for (const setting of Object.values(SETTINGS)) {
      expect(setting.env).toMatch(/^PIPELINES_[A-Z_]+$/);
      expect(setting.description.length).toBeGreaterThan(20);
    }
  });
});
