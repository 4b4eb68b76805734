import { Construct } from 'constructs';
import { apigwAccountRoleName, PipelinesConfig } from '../../lib/config';
import { PipelineStack } from '../../lib/pipeline-stack';
import { ApiGatewayLoggingRole } from './api-gateway-logging-role';

export const APIGW_ACCOUNT_STACK = 'apigw-account';

/**
 * The region's account-wide API Gateway CloudWatch role, without which no REST API stage can write
 * access logs. Only built with PIPELINES_APIGW_ACCOUNT_ROLE=manage (the default).
 *
 * It belongs to the account and region, not to an environment: its role name and state key name no
 * environment, so environments that share a state bucket share its one state, and Terraform refuses
 * to destroy it (prevent_destroy), so destroying any environment's stacks (`cdktf destroy '*'`,
 * `npm run destroy`) leaves every other environment's logging alone. The README says, before the
 * first deploy, exactly what this changes account-wide and how to remove it deliberately.
 */
export class ApiGatewayAccountStack extends PipelineStack {
  constructor(scope: Construct, config: PipelinesConfig) {
    super(scope, APIGW_ACCOUNT_STACK, { config, shortName: 'apigw', accountWide: true });
    new ApiGatewayLoggingRole(this, 'CloudWatchRole', {
      roleName: apigwAccountRoleName(config.region),
      resetOnDelete: config.target !== 'local',
    });
  }
}
