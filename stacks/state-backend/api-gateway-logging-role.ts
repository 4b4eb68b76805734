import { Construct } from 'constructs';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ServiceRole } from '../../lib/constructs/service-role';

export interface ApiGatewayLoggingRoleProps {
  readonly roleName: string;
}

/**
 * REST API stages can only write access and execution logs once the account's API Gateway settings
 * name a CloudWatch role. That setting is one per account and region, so it lives in the bootstrap
 * stack rather than in each pipeline (two stacks owning it would fight over it).
 */
export class ApiGatewayLoggingRole extends Construct {
  constructor(scope: Construct, id: string, props: ApiGatewayLoggingRoleProps) {
    super(scope, id);
    const role = new ServiceRole(this, 'Role', {
      name: props.roleName,
      service: 'apigateway.amazonaws.com',
      description: 'Lets API Gateway write REST API access and execution logs',
      statements: [
        {
          sid: 'WriteApiGatewayLogs',
          actions: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:DescribeLogGroups',
            'logs:DescribeLogStreams',
            'logs:PutLogEvents',
            'logs:GetLogEvents',
            'logs:FilterLogEvents',
          ],
          // API Gateway names its execution log groups itself, per API id and stage.
          resources: ['arn:aws:logs:*:*:log-group:API-Gateway-Execution-Logs_*', 'arn:aws:logs:*:*:log-group:/aws/apigateway/*'],
        },
      ],
    });
    new ApiGatewayAccount(this, 'Account', { cloudwatchRoleArn: role.arn });
  }
}
