/**
 * The one typed configuration of the app, read once at start from environment variables and
 * cdktf context (`cdktf.json` "context" or `-c key=value`), environment variables winning.
 *
 * Every rule is checked before anything is synthesized, and all problems are reported together,
 * each naming the setting and the fix, so a bad value never produces half a plan.
 */

export type DeploymentTarget = 'aws' | 'local';

/**
 * Name of the account-wide API Gateway CloudWatch role: one per account and region (IAM names are
 * account-wide, the setting is per region), the same whichever environment manages it.
 */
export function apigwAccountRoleName(region: string): string {
  return `sp-apigw-cloudwatch-${region}`;
}

/** Who owns the account's API Gateway CloudWatch role: this app (`manage`), or someone else already (`existing`). */
export type ApiGatewayAccountRoleMode = 'manage' | 'existing';

export interface PipelinesConfig {
  /** Short environment name, part of every resource name and state key. */
  readonly environment: string;
  /** Region every pipeline stack deploys to. */
  readonly region: string;
  /** S3 bucket that holds Terraform state (created by the `state-backend` stack). */
  readonly stateBucket: string;
  /** Region of the state bucket. */
  readonly stateRegion: string;
  /** Prefix of every state key: `<prefix>/<environment>/<stack>.tfstate`. */
  readonly stateKeyPrefix: string;
  /** Retention of every CloudWatch log group the app creates, in days. */
  readonly logRetentionDays: number;
  /** Steady-state request rate per second allowed on every API stage. */
  readonly apiRateLimit: number;
  /** Burst of requests allowed on every API stage. */
  readonly apiBurstLimit: number;
  /** Requests per day per API key on APIs guarded by a usage plan. */
  readonly apiQuotaPerDay: number;
  /** `aws` deploys to the real account; `local` points provider and backend at a local emulator. */
  readonly target: DeploymentTarget;
  /** Endpoint of the local AWS emulator, used only when `target` is `local`. */
  readonly localEndpoint: string;
  /** Port on 127.0.0.1 where `npm run serve:local` serves the deployed APIs. */
  readonly localGatewayPort: number;
  /** Kinesis streams (short names) that the `apigw-kinesis-proxy` stack creates and serves. */
  readonly proxyStreams: readonly string[];
  /** Kinesis streams (short names) that the `apigw-kinesis-putrecord` stack creates and accepts. */
  readonly putRecordStreams: readonly string[];
  /**
   * `manage`: the `apigw-account` stack sets the account-wide (per region) API Gateway CloudWatch
   * role; `existing`: the account already has one (another team's), and this app leaves it alone.
   */
  readonly apigwAccountRole: ApiGatewayAccountRoleMode;
  /** E-mail addresses subscribed to each pipeline's alarm topic (each must confirm). */
  readonly alarmEmails: readonly string[];
  /** An existing SNS topic every alarm notifies instead of a topic per pipeline; undefined when unset. */
  readonly alarmTopicArn: string | undefined;
  /** Share of API requests answered 5xx, in percent, that raises the API error alarm. */
  readonly alarmApiErrorPercent: number;
  /** p99 API latency, in milliseconds, that raises the API latency alarm. */
  readonly alarmApiLatencyMs: number;
  /** Lambda errors in 5 minutes that raise a function's error alarm. */
  readonly alarmLambdaErrors: number;
  /** Throttled Lambda invocations in 5 minutes that raise a function's throttle alarm. */
  readonly alarmLambdaThrottles: number;
  /** p99 Lambda duration, in percent of the function's timeout, that raises its duration alarm. */
  readonly alarmLambdaDurationPercent: number;
  /** Age in seconds of the oldest message in a work queue that raises its backlog alarm. */
  readonly alarmQueueAgeSeconds: number;
  /** How far, in seconds, a Kinesis consumer may fall behind before its iterator-age alarm fires. */
  readonly alarmIteratorAgeSeconds: number;
  /** Throttled DynamoDB reads, or writes, in 5 minutes that raise a table's throttle alarm. */
  readonly alarmDynamodbThrottles: number;
}

/** Where a setting can come from. */
export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** cdktf context lookup; a missing key returns undefined. */
  readonly context?: (key: string) => unknown;
}

export const PROJECT_NAME = 'serverless-pipelines';

// CloudWatch Logs accepts only these retention periods (PutRetentionPolicy).
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** One configurable value: its environment variable, context key, default and documentation. */
interface Setting {
  readonly env: string;
  readonly context: string;
  readonly fallback: (partial: Record<string, string>) => string;
  readonly description: string;
}

export const SETTINGS = {
  environment: {
    env: 'PIPELINES_ENV',
    context: 'environment',
    fallback: () => 'dev',
    description: 'Environment name: 2-12 lowercase letters, digits or hyphens, starting with a letter.',
  },
  region: {
    env: 'PIPELINES_REGION',
    context: 'region',
    fallback: () => 'us-east-1',
    description: 'AWS region of the pipeline stacks, e.g. eu-west-1.',
  },
  stateBucket: {
    env: 'PIPELINES_STATE_BUCKET',
    context: 'stateBucket',
    fallback: (p) => `${PROJECT_NAME}-tfstate-${p.environment ?? 'dev'}`,
    description: 'S3 bucket for Terraform state (globally unique; created by the state-backend stack).',
  },
  stateRegion: {
    env: 'PIPELINES_STATE_REGION',
    context: 'stateRegion',
    fallback: (p) => p.region ?? 'us-east-1',
    description: 'Region of the state bucket; defaults to the pipelines region.',
  },
  stateKeyPrefix: {
    env: 'PIPELINES_STATE_KEY_PREFIX',
    context: 'stateKeyPrefix',
    fallback: () => PROJECT_NAME,
    description: 'Prefix of every state object key, without leading or trailing slash.',
  },
  logRetentionDays: {
    env: 'PIPELINES_LOG_RETENTION_DAYS',
    context: 'logRetentionDays',
    fallback: () => '30',
    description: `Log group retention in days, one of ${LOG_RETENTION_DAYS.join(', ')}.`,
  },
  apiRateLimit: {
    env: 'PIPELINES_API_RATE_LIMIT',
    context: 'apiRateLimit',
    fallback: () => '50',
    description: 'Requests per second allowed on every API stage (1-10000).',
  },
  apiBurstLimit: {
    env: 'PIPELINES_API_BURST_LIMIT',
    context: 'apiBurstLimit',
    fallback: () => '100',
    description: 'Burst of requests allowed on every API stage (1-5000, at least the rate limit).',
  },
  apiQuotaPerDay: {
    env: 'PIPELINES_API_QUOTA_PER_DAY',
    context: 'apiQuotaPerDay',
    fallback: () => '10000',
    description: 'Requests per day per API key on usage-plan APIs (1-10000000).',
  },
  target: {
    env: 'PIPELINES_TARGET',
    context: 'target',
    fallback: () => 'aws',
    description: '`aws` for a real account; `local` for the local AWS emulator (tests, deploy:local).',
  },
  localEndpoint: {
    env: 'PIPELINES_LOCAL_ENDPOINT',
    context: 'localEndpoint',
    fallback: () => 'http://127.0.0.1:5000',
    description: 'URL of the local AWS emulator (moto_server), used when PIPELINES_TARGET=local.',
  },
  localGatewayPort: {
    env: 'PIPELINES_LOCAL_GATEWAY_PORT',
    context: 'localGatewayPort',
    fallback: () => '4010',
    description: 'Port on 127.0.0.1 where `npm run serve:local` serves every deployed API (1024-65535).',
  },
  proxyStreams: {
    env: 'PIPELINES_PROXY_STREAMS',
    context: 'proxyStreams',
    fallback: () => 'events',
    description: 'Comma-separated short names of the streams the Kinesis proxy API creates and serves.',
  },
  putRecordStreams: {
    env: 'PIPELINES_PUTRECORD_STREAMS',
    context: 'putRecordStreams',
    fallback: () => 'orders,clicks',
    description: 'Comma-separated short names of the streams PUT /{stream-name} creates and accepts.',
  },
  apigwAccountRole: {
    env: 'PIPELINES_APIGW_ACCOUNT_ROLE',
    context: 'apigwAccountRole',
    fallback: () => 'manage',
    description:
      '`manage`: the apigw-account stack sets the region\'s account-wide API Gateway CloudWatch role (replacing any other); `existing`: leave the role the account already has.',
  },
  alarmEmails: {
    env: 'PIPELINES_ALARM_EMAILS',
    context: 'alarmEmails',
    fallback: () => '',
    description: 'Comma-separated e-mail addresses subscribed to every pipeline alarm topic; each recipient must confirm.',
  },
  alarmTopicArn: {
    env: 'PIPELINES_ALARM_TOPIC_ARN',
    context: 'alarmTopicArn',
    fallback: () => '',
    description: 'ARN of an existing SNS topic (chat, paging) that every alarm notifies instead of a topic per pipeline.',
  },
  alarmApiErrorPercent: {
    env: 'PIPELINES_ALARM_API_ERROR_PERCENT',
    context: 'alarmApiErrorPercent',
    fallback: () => '1',
    description: 'Percent of API requests answered 5xx (3 of 5 minutes) that raises the API error alarm (1-100).',
  },
  alarmApiLatencyMs: {
    env: 'PIPELINES_ALARM_API_LATENCY_MS',
    context: 'alarmApiLatencyMs',
    fallback: () => '3000',
    description: 'p99 API latency in milliseconds over 5 minutes that raises the API latency alarm (10-30000).',
  },
  alarmLambdaErrors: {
    env: 'PIPELINES_ALARM_LAMBDA_ERRORS',
    context: 'alarmLambdaErrors',
    fallback: () => '1',
    description: 'Lambda errors in 5 minutes that raise a function error alarm (1-100000).',
  },
  alarmLambdaThrottles: {
    env: 'PIPELINES_ALARM_LAMBDA_THROTTLES',
    context: 'alarmLambdaThrottles',
    fallback: () => '1',
    description: 'Throttled Lambda invocations in 5 minutes that raise a function throttle alarm (1-100000).',
  },
  alarmLambdaDurationPercent: {
    env: 'PIPELINES_ALARM_LAMBDA_DURATION_PERCENT',
    context: 'alarmLambdaDurationPercent',
    fallback: () => '80',
    description: 'p99 Lambda duration over 5 minutes, in percent of the function timeout, that raises its duration alarm (10-100).',
  },
  alarmQueueAgeSeconds: {
    env: 'PIPELINES_ALARM_QUEUE_AGE_SECONDS',
    context: 'alarmQueueAgeSeconds',
    fallback: () => '600',
    description: 'Age in seconds of the oldest message in a work queue that raises its backlog alarm (60-1209600).',
  },
  alarmIteratorAgeSeconds: {
    env: 'PIPELINES_ALARM_ITERATOR_AGE_SECONDS',
    context: 'alarmIteratorAgeSeconds',
    fallback: () => '600',
    description: 'Seconds a Kinesis consumer may fall behind before its iterator-age alarm fires (1-604800).',
  },
  alarmDynamodbThrottles: {
    env: 'PIPELINES_ALARM_DYNAMODB_THROTTLES',
    context: 'alarmDynamodbThrottles',
    fallback: () => '1',
    description: 'Throttled DynamoDB reads, or writes, in 5 minutes that raise a table throttle alarm (1-100000).',
  },
} as const satisfies Record<keyof PipelinesConfig, Setting>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid serverless-pipelines configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const ENVIRONMENT_PATTERN = /^[a-z][a-z0-9-]{1,11}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const STREAM_SHORT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
const EMAIL_PATTERN = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;
// arn:<partition>:sns:<region>:<account>:<name>; a FIFO topic cannot be an alarm action.
const SNS_TOPIC_ARN_PATTERN = /^arn:aws[-a-z]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** Reads and validates every setting; throws one ConfigError listing every problem. */
export function loadConfig(sources: ConfigSources): PipelinesConfig {
  const raw: Record<string, string> = {};
  const origin: Record<string, string> = {};
  const defaulted = new Set<string>();
  for (const [name, setting] of Object.entries(SETTINGS) as [keyof PipelinesConfig, Setting][]) {
    const fromEnv = sources.env[setting.env];
    const fromContext = sources.context?.(setting.context);
    if (fromEnv !== undefined && fromEnv !== '') {
      raw[name] = fromEnv.trim();
      origin[name] = `${setting.env}=${JSON.stringify(fromEnv)}`;
    } else if (fromContext !== undefined && fromContext !== null && fromContext !== '') {
      raw[name] = String(fromContext).trim();
      origin[name] = `context "${setting.context}"=${JSON.stringify(fromContext)}`;
    } else {
      raw[name] = setting.fallback(raw);
      defaulted.add(name);
      origin[name] = `${setting.env} (default ${JSON.stringify(raw[name])})`;
    }
  }

  const problems: string[] = [];
  const failed = new Set<string>();
  // A default derived from a bad setting is bad too; saying so would only repeat the first problem.
  const derivedFrom: Partial<Record<keyof PipelinesConfig, keyof PipelinesConfig>> = { stateBucket: 'environment', stateRegion: 'region' };
  const fail = (name: keyof PipelinesConfig, rule: string, fix: string): void => {
    const parent = derivedFrom[name];
    if (defaulted.has(name) && parent !== undefined && failed.has(parent)) return;
    failed.add(name);
    problems.push(`${origin[name]}: ${rule}. Fix: ${fix}`);
  };

  if (!ENVIRONMENT_PATTERN.test(raw.environment)) {
    fail(
      'environment',
      'must be 2-12 lowercase letters, digits or hyphens and start with a letter (it is part of every resource name)',
      `set ${SETTINGS.environment.env} to a name such as dev, staging or prod`,
    );
  }
  for (const name of ['region', 'stateRegion'] as const) {
    if (!REGION_PATTERN.test(raw[name])) {
      fail(name, 'is not an AWS region name', `set ${SETTINGS[name].env} to a region such as us-east-1 or eu-west-1`);
    }
  }
  if (!isValidBucketName(raw.stateBucket)) {
    fail(
      'stateBucket',
      'is not a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens; no "..", no IP address form)',
      `set ${SETTINGS.stateBucket.env} to a globally unique name such as acme-serverless-pipelines-tfstate`,
    );
  }
  if (!KEY_PREFIX_PATTERN.test(raw.stateKeyPrefix)) {
    fail(
      'stateKeyPrefix',
      'must be path segments of letters, digits and !_.*\'()- separated by single slashes, with no leading or trailing slash',
      `set ${SETTINGS.stateKeyPrefix.env} to something like ${PROJECT_NAME} or teams/platform`,
    );
  }
  const logRetentionDays = Number(raw.logRetentionDays);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    fail(
      'logRetentionDays',
      `is not a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')})`,
      `set ${SETTINGS.logRetentionDays.env} to one of those values, e.g. 30`,
    );
  }
  const apiRateLimit = readInteger(raw.apiRateLimit, 1, 10000);
  if (apiRateLimit === undefined) {
    fail('apiRateLimit', 'must be a whole number from 1 to 10000', `set ${SETTINGS.apiRateLimit.env}, e.g. 50`);
  }
  const apiBurstLimit = readInteger(raw.apiBurstLimit, 1, 5000);
  if (apiBurstLimit === undefined) {
    fail('apiBurstLimit', 'must be a whole number from 1 to 5000', `set ${SETTINGS.apiBurstLimit.env}, e.g. 100`);
  } else if (apiRateLimit !== undefined && apiBurstLimit < apiRateLimit) {
    fail(
      'apiBurstLimit',
      `must be at least the rate limit (${apiRateLimit}), or every burst is throttled below the steady rate`,
      `raise ${SETTINGS.apiBurstLimit.env} or lower ${SETTINGS.apiRateLimit.env}`,
    );
  }
  const apiQuotaPerDay = readInteger(raw.apiQuotaPerDay, 1, 10_000_000);
  if (apiQuotaPerDay === undefined) {
    fail('apiQuotaPerDay', 'must be a whole number from 1 to 10000000', `set ${SETTINGS.apiQuotaPerDay.env}, e.g. 10000`);
  }
  if (raw.target !== 'aws' && raw.target !== 'local') {
    fail('target', 'must be "aws" or "local"', `set ${SETTINGS.target.env}=aws for a real account or local for the emulator`);
  }
  if (!isHttpUrl(raw.localEndpoint)) {
    fail(
      'localEndpoint',
      'must be an http(s) URL with a host and no path',
      `set ${SETTINGS.localEndpoint.env} to the emulator's address, e.g. http://127.0.0.1:5000`,
    );
  }
  const localGatewayPort = readInteger(raw.localGatewayPort, 1024, 65535);
  if (localGatewayPort === undefined || `http://127.0.0.1:${localGatewayPort}` === raw.localEndpoint.replace(/\/$/, '')) {
    fail(
      'localGatewayPort',
      localGatewayPort === undefined ? 'must be a whole number from 1024 to 65535' : 'is the emulator\'s own port',
      `set ${SETTINGS.localGatewayPort.env} to a free port other than the emulator's, e.g. 4010`,
    );
  }
  const proxyStreams = readStreamList(raw.proxyStreams);
  const putRecordStreams = readStreamList(raw.putRecordStreams);
  for (const [name, list] of [
    ['proxyStreams', proxyStreams],
    ['putRecordStreams', putRecordStreams],
  ] as const) {
    if (list === undefined) {
      fail(
        name,
        'must be 1-10 distinct comma-separated names of 1-32 lowercase letters, digits or hyphens',
        `set ${SETTINGS[name].env} to something like orders,clicks`,
      );
    }
  }

  if (raw.apigwAccountRole !== 'manage' && raw.apigwAccountRole !== 'existing') {
    fail(
      'apigwAccountRole',
      'must be "manage" or "existing"',
      `set ${SETTINGS.apigwAccountRole.env}=existing if the account already has an API Gateway CloudWatch role (another team's), or manage to let this app set it`,
    );
  }

  const alarmEmails = raw.alarmEmails === '' ? [] : raw.alarmEmails.split(',').map((e) => e.trim());
  const badEmails = alarmEmails.filter((e) => !EMAIL_PATTERN.test(e));
  if (badEmails.length > 0 || new Set(alarmEmails).size !== alarmEmails.length || alarmEmails.length > 10) {
    fail(
      'alarmEmails',
      badEmails.length > 0
        ? `${badEmails.map((e) => JSON.stringify(e)).join(', ')} ${badEmails.length === 1 ? 'is not an e-mail address' : 'are not e-mail addresses'}`
        : 'must be at most 10 distinct addresses',
      `set ${SETTINGS.alarmEmails.env} to comma-separated addresses such as oncall@example.com,team@example.com`,
    );
  }
  const alarmTopicArn = raw.alarmTopicArn === '' ? undefined : raw.alarmTopicArn;
  if (alarmTopicArn !== undefined) {
    const match = SNS_TOPIC_ARN_PATTERN.exec(alarmTopicArn);
    if (!match) {
      fail(
        'alarmTopicArn',
        'is not the ARN of a standard SNS topic (arn:aws:sns:<region>:<12-digit account>:<name>)',
        `set ${SETTINGS.alarmTopicArn.env} to the topic's ARN as the SNS console shows it, or unset it to get a topic per pipeline`,
      );
    } else if (REGION_PATTERN.test(raw.region) && match[1] !== raw.region) {
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
      fail(
        'alarmTopicArn',
        `is in ${match[1]}, but alarms can only notify a topic in their own region (${raw.region})`,
        `use a topic in ${raw.region}, or unset ${SETTINGS.alarmTopicArn.env}`,
      );
    }
    if (alarmEmails.length > 0) {
      fail(
        'alarmEmails',
        `cannot be subscribed when ${SETTINGS.alarmTopicArn.env} is set: the app then creates no topic of its own`,
        `subscribe the addresses to that topic yourself and unset ${SETTINGS.alarmEmails.env}, or unset ${SETTINGS.alarmTopicArn.env}`,
      );
    }
  }
  const thresholds = {
    alarmApiErrorPercent: [1, 100, '5'],
    alarmApiLatencyMs: [10, 30000, '3000'],
    alarmLambdaErrors: [1, 100000, '5'],
    alarmLambdaThrottles: [1, 100000, '5'],
    alarmLambdaDurationPercent: [10, 100, '80'],
    alarmQueueAgeSeconds: [60, 1209600, '900'],
    alarmIteratorAgeSeconds: [1, 604800, '600'],
    alarmDynamodbThrottles: [1, 100000, '5'],
  } as const;
  const threshold = {} as Record<keyof typeof thresholds, number>;
  for (const [name, [min, max, example]] of Object.entries(thresholds) as [keyof typeof thresholds, readonly [number, number, string]][]) {
    const value = readInteger(raw[name], min, max);
    if (value === undefined) fail(name, `must be a whole number from ${min} to ${max}`, `set ${SETTINGS[name].env}, e.g. ${example}`);
    else threshold[name] = value;
  }

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return {
    environment: raw.environment,
    region: raw.region,
    stateBucket: raw.stateBucket,
    stateRegion: raw.stateRegion,
    stateKeyPrefix: raw.stateKeyPrefix,
    logRetentionDays,
    apiRateLimit: apiRateLimit!,
    apiBurstLimit: apiBurstLimit!,
    apiQuotaPerDay: apiQuotaPerDay!,
    target: raw.target as DeploymentTarget,
    localEndpoint: raw.localEndpoint.replace(/\/$/, ''),
    localGatewayPort: localGatewayPort!,
    proxyStreams: proxyStreams!,
    putRecordStreams: putRecordStreams!,
    apigwAccountRole: raw.apigwAccountRole as ApiGatewayAccountRoleMode,
    alarmEmails,
    alarmTopicArn,
    ...threshold,
  };
}

function readInteger(value: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

function readStreamList(value: string): string[] | undefined {
  const names = value.split(',').map((s) => s.trim());
  const valid =
    names.length >= 1 &&
    names.length <= 10 &&
    new Set(names).size === names.length &&
    names.every((n) => STREAM_SHORT_NAME_PATTERN.test(n));
  return valid ? names : undefined;
}

function isValidBucketName(name: string): boolean {
  return (
    BUCKET_PATTERN.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && (url.pathname === '/' || url.pathname === '');
  } catch {
    return false;
  }
}

/** `serverless-pipelines-dev-customers`-style prefix for physical names. */
export function resourcePrefix(config: PipelinesConfig, stackShortName: string): string {
  return `sp-${config.environment}-${stackShortName}`;
}
