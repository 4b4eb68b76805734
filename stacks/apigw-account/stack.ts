import { Construct } from 'constructs';
import { PipelinesConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline-stack';
import { ApiGatewayLoggingRole } from './api-gateway-logging-role';

export const APIGW_ACCOUNT_STACK = 'apigw-account';

/**
 * The region's account-wide API Gateway CloudWatch role, without which no REST API stage can write
 * access logs. Only built with PIPELINES_APIGW_ACCOUNT_ROLE=manage (the default); it is a stack of
 * its own so that `cdktf destroy '*'` can remove it (resetting the setting) while the state bucket
 * stays. The README says, before the first deploy, exactly what this changes account-wide.
 */
export class ApiGatewayAccountStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, APIGW_ACCOUNT_STACK, { config, shortName: 'apigw' });
    new ApiGatewayLoggingRole(this, 'CloudWatchRole', { roleName: `${this.namePrefix}-cloudwatch` });
  }
}
