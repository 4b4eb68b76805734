import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { PipelinesConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline-stack';
import { StateBucket } from './state-bucket';

export const STATE_BACKEND_STACK = 'state-backend';

/**
 * Bootstrap stack, deployed once per account and environment before any other: the S3 bucket that
 * holds every other stack's state, created in PIPELINES_STATE_REGION, where every backend looks for
 * it. Its own state stays in a local file, since the bucket does not exist yet; Terraform refuses to
 * destroy the bucket or weaken any of its settings (see StateBucket).
 */
export class StateBackendStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, STATE_BACKEND_STACK, {
      config,
      shortName: 'bootstrap',
      providerRegion: config.stateRegion,
      // Relative to cdktf.out/stacks/state-backend: the project root, outside the wiped cdktf.out.
      localStatePath: `../../../terraform.${STATE_BACKEND_STACK}.${config.environment}.tfstate`,
    });

    const bucket = new StateBucket(this, 'StateBucket', {
      bucketName: config.stateBucket,
      // The emulator would apply this policy's Deny unconditionally (see StateBucketProps).
      denyInsecureTransport: config.target !== 'local',
    });

    new TerraformOutput(this, 'state_bucket', { value: bucket.bucket.bucket });
  }
}
