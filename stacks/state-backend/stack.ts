import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelinesConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline-stack';
import { ApiGatewayLoggingRole } from './api-gateway-logging-role';
import { StateBucket } from './state-bucket';

export const STATE_BACKEND_STACK = 'state-backend';

/**
 * Bootstrap stack, deployed once per account and environment before any pipeline: the S3 bucket
 * that holds every other stack's state, and the account-wide API Gateway logging role that REST
 * API access logs need. Its own state stays in a local file, since the bucket does not exist yet.
 */
export class StateBackendStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, STATE_BACKEND_STACK, {
      config,
      shortName: 'bootstrap',
      // Relative to cdktf.out/stacks/state-backend: the project root, outside the wiped cdktf.out.
      localStatePath: `../../../terraform.${STATE_BACKEND_STACK}.${config.environment}.tfstate`,
    });

    const bucket = new StateBucket(this, 'StateBucket', {
      bucketName: config.stateBucket,
      preventDestroy: config.environment === 'prod',
      // The emulator would apply this policy's Deny unconditionally (see StateBucketProps).
      denyInsecureTransport: config.target !== 'local',
    });
    new ApiGatewayLoggingRole(this, 'ApiGatewayLogging', { roleName: `${this.namePrefix}-apigw-logs` });

    new TerraformOutput(this, 'state_bucket', { value: bucket.bucket.bucket });
  }
}
