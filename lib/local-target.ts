import { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { IConstruct } from 'constructs';
import { IAspect, S3BackendConfig, TerraformResource } from 'cdktf';
import { PipelinesConfig } from './config';

/**
 * Settings that point the AWS provider and the S3 backend at a local AWS emulator (moto_server)
 * when PIPELINES_TARGET=local. The `aws` target never uses any of this.
 *
 * The credentials are the emulator's conventional fakes: they are not secrets and work nowhere else.
 */
const FAKE_ACCESS_KEY = 'testing';
const FAKE_SECRET_KEY = 'testing';

/**
 * An emulator IAM user's key to sign with instead (both set, or neither): the e2e cdktf CLI suite
 * deploys as a user holding only the deployer policy, through the deployer gate
 * (scripts/lib/deployer-gate), which authorizes each request by the key that signed it.
 */
export const LOCAL_ACCESS_KEY_ENV = 'PIPELINES_LOCAL_ACCESS_KEY_ID';
export const LOCAL_SECRET_KEY_ENV = 'PIPELINES_LOCAL_SECRET_ACCESS_KEY';

function localCredentials(env: NodeJS.ProcessEnv = process.env): { accessKey: string; secretKey: string } {
  const accessKey = env[LOCAL_ACCESS_KEY_ENV];
  const secretKey = env[LOCAL_SECRET_KEY_ENV];
  if (!accessKey !== !secretKey) throw new Error(`Set both ${LOCAL_ACCESS_KEY_ENV} and ${LOCAL_SECRET_KEY_ENV}, or neither.`);
  return accessKey && secretKey ? { accessKey, secretKey } : { accessKey: FAKE_ACCESS_KEY, secretKey: FAKE_SECRET_KEY };
}

// Every service the stacks talk to; a service missing here would silently go to real AWS.
const EMULATED_SERVICES = [
  'apigateway',
  'apigatewayv2',
  'cloudwatch',
  'cloudwatchlogs',
  'dynamodb',
  'iam',
  'kinesis',
  'kms',
  'lambda',
  's3',
  'secretsmanager',
  'sns',
  'sqs',
  'sts',
] as const;

export function localProviderSettings(config: PipelinesConfig): Partial<AwsProviderConfig> {
  const endpoints: Record<string, string> = {};
  for (const service of EMULATED_SERVICES) endpoints[service] = config.localEndpoint;
  return {
    ...localCredentials(),
    skipCredentialsValidation: true,
    skipMetadataApiCheck: 'true',
    skipRequestingAccountId: false,
    s3UsePathStyle: true,
    endpoints: [endpoints],
  };
}

export function localBackendSettings(config: PipelinesConfig): Partial<S3BackendConfig> {
  return {
    ...localCredentials(),
    endpoints: { s3: config.localEndpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
  };
}

/**
 * Attributes the emulator (moto 5.2) does not round-trip, so every plan after an apply would show
 * them changing although nothing changed. Only the local target ignores them; each entry names
 * the gap, so the list shrinks as the emulator catches up.
 */
export const EMULATOR_UNTRACKED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  // GetFunction answers without LoggingConfig, so the JSON log format and log group never "stick".
  aws_lambda_function: ['logging_config'],
  // CreateStream drops its Tags parameter, so the provider's default tags never show up in reads.
  aws_kinesis_stream: ['tags', 'tags_all'],
  // GetQueueAttributes returns RedrivePolicy re-serialised with spaces; the provider compares strings.
  aws_sqs_queue: ['redrive_policy'],
};

/** Adds `ignore_changes` for EMULATOR_UNTRACKED_ATTRIBUTES to every matching resource (local target only). */
export class IgnoreEmulatorGaps implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const untracked = EMULATOR_UNTRACKED_ATTRIBUTES[node.terraformResourceType];
    if (!untracked) return;
    const current = node.lifecycle?.ignoreChanges;
    if (current === 'all') return;
    node.lifecycle = { ...node.lifecycle, ignoreChanges: [...new Set([...(current ?? []), ...untracked])] };
  }
}

/**
 * Tag on an event source mapping of the local target that the local data plane
 * (`npm run serve:local`) runs: the mapping is deployed disabled, because moto runs an enabled SQS
 * mapping itself inside every SendMessage (moto/sqs/models.py `Queue.add_message`: it receives the
 * queued messages, raising their receive count, tries to invoke the function in Docker and, without
 * Docker, makes them visible again), which moves valid messages to the dead-letter queue and, racing
 * another receiver, answers SendMessage with a 500 (`list.remove(x): x not in list` in
 * `receive_message`). moto skips a mapping whose Enabled is false (`if not esm.enabled: continue`).
 */
export const LOCAL_MAPPING_TAG = 'local:run-by';
export const LOCAL_MAPPING_RUNNER = 'serve:local';

/** Deploys every enabled event source mapping disabled in moto and tagged for the local data plane (local target only). */
export class MappingsRunByLocalPlane implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof LambdaEventSourceMapping)) return;
    // A mapping deployed disabled stays disabled: the local data plane does not run it either.
    if (node.enabledInput === false) return;
    node.enabled = false;
    node.tags = { ...(node.tagsInput ?? {}), [LOCAL_MAPPING_TAG]: LOCAL_MAPPING_RUNNER };
  }
}
