import { Construct } from 'constructs';
import { Aspects, LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PipelinesConfig, PROJECT_NAME, resourcePrefix } from './config';
import { AlarmTopic } from './constructs/alarm-topic';
import { PipelineDashboard } from './constructs/dashboard';
import { IgnoreEmulatorGaps, localBackendSettings, localProviderSettings, MappingsRunByLocalPlane } from './local-target';
import { AlarmActions, AlarmThresholds, IMonitorable } from './monitoring';

export interface PipelineStackProps {
  readonly config: PipelinesConfig;
  /** Short name used in physical resource names, e.g. `customers`. Keep it short: IAM names stop at 64. */
  readonly shortName: string;
  /**
   * Keep this stack's state in a local file (path relative to the stack's synthesized folder)
   * instead of the S3 bucket: only for the stack that creates that bucket. @default S3 backend
   */
  readonly localStatePath?: string;
  /** Region of the stack's provider. @default the pipelines region (`PIPELINES_REGION`) */
  readonly providerRegion?: string;
  /**
   * The stack holds a setting of the whole account and region, shared by every environment there:
   * its state key and default tags name no environment (see accountStateKey). @default false
   */
  readonly accountWide?: boolean;
}

/**
 * Base of every pipeline stack: the AWS provider with the project's default tags and the S3 state
 * backend (one key per stack and environment, encrypted, with S3-native locking).
 * Subclasses only wire constructs together.
 */
export abstract class PipelineStack extends TerraformStack {
  readonly config: PipelinesConfig;
  /** Prefix for physical names: `sp-<environment>-<shortName>`. */
  readonly namePrefix: string;
  readonly provider: AwsProvider;

  protected constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id);
    this.config = props.config;
    this.namePrefix = resourcePrefix(props.config, props.shortName);
    this.provider = new AwsProvider(this, 'aws', {
      region: props.providerRegion ?? props.config.region,
      defaultTags: [{ tags: defaultTags(props.config, id, props.accountWide) }],
      ...(props.config.target === 'local' ? localProviderSettings(props.config) : {}),
    });

    if (props.config.target === 'local') {
      Aspects.of(this).add(new IgnoreEmulatorGaps());
      Aspects.of(this).add(new MappingsRunByLocalPlane());
    }

    // S3-native state locking (use_lockfile) arrived in Terraform 1.11.
    this.addOverride('terraform.required_version', '>= 1.11.0');

    if (props.localStatePath !== undefined) {
      new LocalBackend(this, { path: props.localStatePath });
      return;
    }
    new S3Backend(this, {
      bucket: props.config.stateBucket,
      key: props.accountWide ? accountStateKey(props.config, id) : stateKey(props.config, id),
      region: props.config.stateRegion,
      // `encrypt` is deliberately left unset. With `encrypt = true` and no `kms_key_id` the backend
      // sends `x-amz-server-side-encryption: AES256`, so state would be SSE-S3 although the bucket
      // defaults to KMS; with no header S3 applies the bucket's default (aws:kms, bucket key) to
      // every state and lock object, and the deploying principal needs no extra KMS rights for the
      // AWS-managed aws/s3 key. https://developer.hashicorp.com/terraform/language/backend/s3 ("encrypt",
      // "kms_key_id"); https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
      ...(props.config.target === 'local' ? localBackendSettings(props.config) : {}),
    });
    // cdktf 0.21's S3BackendConfig predates S3-native locking (Terraform >= 1.11), so it has no typed
    // option for it; without a lock two concurrent applies could corrupt the state.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
  }

  /**
   * Operations for the pipeline: every alarm of the stack (those created so far and later ones)
   * notifies the pipeline's encrypted alarm topic, or PIPELINES_ALARM_TOPIC_ARN, when it fires and
   * when it recovers; and one dashboard built from `sections`, the constructs of the pipeline in
   * request order, each contributing its own widgets and alarms.
   */
  protected addMonitoring(sections: readonly IMonitorable[]): PipelineMonitoring {
    const alarmTopicArn =
      this.config.alarmTopicArn ?? new AlarmTopic(this, 'AlarmTopic', { name: `${this.namePrefix}-alarms`, emails: this.config.alarmEmails }).arn;
    Aspects.of(this).add(new AlarmActions([alarmTopicArn]));
    const dashboard = new PipelineDashboard(this, 'Dashboard', {
      dashboardName: this.namePrefix,
      sections,
      context: { thresholds: alarmThresholds(this.config), region: this.config.region },
    });
    return { alarmTopicArn, dashboardName: dashboard.name };
  }
}

/** What a stack declares as outputs once it is monitored. */
export interface PipelineMonitoring {
  /** The topic every alarm of the stack notifies. */
  readonly alarmTopicArn: string;
  readonly dashboardName: string;
}

/** Alarm thresholds every monitored construct takes from the configuration. */
export function alarmThresholds(config: PipelinesConfig): AlarmThresholds {
  return {
    api5xxPercent: config.alarmApiErrorPercent,
    apiLatencyP99Ms: config.alarmApiLatencyMs,
    lambdaErrors: config.alarmLambdaErrors,
    lambdaThrottles: config.alarmLambdaThrottles,
    lambdaDurationPercentOfTimeout: config.alarmLambdaDurationPercent,
    queueOldestMessageSeconds: config.alarmQueueAgeSeconds,
    iteratorAgeSeconds: config.alarmIteratorAgeSeconds,
    dynamodbThrottles: config.alarmDynamodbThrottles,
  };
}

/** Log retention and stage throttling every API of the app takes from the configuration. */
export interface ApiDefaults {
  readonly logRetentionDays: number;
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The limits of an API key's usage plan, from the configuration. */
export interface UsagePlanLimits {
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly quotaPerDay: number;
}

export function apiDefaults(config: PipelinesConfig): ApiDefaults {
  return { logRetentionDays: config.logRetentionDays, rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit };
}

export function usagePlanLimits(config: PipelinesConfig): UsagePlanLimits {
  return { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit, quotaPerDay: config.apiQuotaPerDay };
}

export function defaultTags(config: PipelinesConfig, stackId: string, accountWide = false): Record<string, string> {
  return {
    project: PROJECT_NAME,
    pipeline: stackId,
    // Every environment of the account applies an account-wide stack; a tag naming one would flip.
    environment: accountWide ? ACCOUNT_WIDE : config.environment,
    'managed-by': 'cdktf',
  };
}

/** What an account-wide stack has where others name their environment. */
export const ACCOUNT_WIDE = '_account';

export function stateKey(config: PipelinesConfig, stackId: string): string {
  return `${config.stateKeyPrefix}/${config.environment}/${stackId}.tfstate`;
}

/**
 * `<prefix>/_account/<region>/<stack>.tfstate`: the same key for every environment of the account
 * and region, so environments sharing a state bucket share one state of the setting. No environment
 * can be called `_account` (PIPELINES_ENV starts with a letter), so it never meets an environment's keys.
 */
export function accountStateKey(config: PipelinesConfig, stackId: string): string {
  return `${config.stateKeyPrefix}/${ACCOUNT_WIDE}/${config.region}/${stackId}.tfstate`;
}
