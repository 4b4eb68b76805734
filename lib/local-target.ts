import { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { S3BackendConfig } from 'cdktf';
import { PipelinesConfig } from './config';

/**
 * Settings that point the AWS provider and the S3 backend at a local AWS emulator (moto_server)
 * when PIPELINES_TARGET=local. The `aws` target never uses any of this.
 *
 * The credentials are the emulator's conventional fakes: they are not secrets and work nowhere else.
 */
const FAKE_ACCESS_KEY = 'testing';
const FAKE_SECRET_KEY = 'testing';

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
  'sqs',
  'sts',
] as const;

export function localProviderSettings(config: PipelinesConfig): Partial<AwsProviderConfig> {
  const endpoints: Record<string, string> = {};
  for (const service of EMULATED_SERVICES) endpoints[service] = config.localEndpoint;
  return {
    accessKey: FAKE_ACCESS_KEY,
    secretKey: FAKE_SECRET_KEY,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: 'true',
    skipRequestingAccountId: false,
    s3UsePathStyle: true,
    endpoints: [endpoints],
  };
}

export function localBackendSettings(config: PipelinesConfig): Partial<S3BackendConfig> {
  return {
    accessKey: FAKE_ACCESS_KEY,
    secretKey: FAKE_SECRET_KEY,
    endpoints: { s3: config.localEndpoint },
    usePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
  };
}
