import { Construct } from 'constructs';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { serviceTrustPolicy } from '../../lib/constructs/policy-document';

const NEVER_DESTROY = { preventDestroy: true } as const;

export interface ApiGatewayLoggingRoleProps {
  readonly roleName: string;
  /**
   * Reset the account setting when this is destroyed. Off only for the local emulator: moto 5.2
   * answers the provider's reset (an UpdateAccount `replace /cloudwatchRoleArn` without a value) with
   * a 500, which the provider retries until it times out. @default true
   */
  readonly resetOnDelete?: boolean;
}

/**
 * The account's API Gateway CloudWatch role: one setting per account and region, used by every REST
 * API there (not only ours) for access and execution logs.
 *
 * - The role has exactly AWS's `AmazonAPIGatewayPushToCloudWatchLogs` managed policy, so every REST
 *   API of the account keeps logging wherever its logs go. A role narrowed to our log groups would
 *   silently stop other teams' APIs logging (and `logs:DescribeLogGroups` only works on "*").
 *   https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonAPIGatewayPushToCloudWatchLogs.html
 * - Terraform refuses to destroy any of it (prevent_destroy): every environment of the account and
 *   region logs through this one setting, and the provider's delete resets whatever role is set, so
 *   destroying one environment would stop the others' REST logs and fail their next stage change
 *   ("CloudWatch Logs role ARN must be set in account settings").
 *   https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
 * - Should it still be destroyed (after a deliberate `state rm` and code change), it resets the
 *   setting (`reset_on_delete`) instead of leaving the account pointing at a deleted role.
 *   https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/api_gateway_account#reset_on_delete
 * - Only one stack may own it: CloudFormation's docs for the same setting warn that a second owner
 *   overwrites the first. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-account.html
 *   Accounts where another team already owns it set PIPELINES_APIGW_ACCOUNT_ROLE=existing, and this
 *   construct is not created at all.
 */
export class ApiGatewayLoggingRole extends Construct {
  readonly role: IamRole;
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayLoggingRoleProps) {
    super(scope, id);
    const partition = new DataAwsPartition(this, 'Partition');
    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: 'Account-wide API Gateway CloudWatch role: lets every REST API of this region write access and execution logs',
      assumeRolePolicy: serviceTrustPolicy(this, 'TrustPolicy', 'apigateway.amazonaws.com').json,
      lifecycle: NEVER_DESTROY,
    });
    const policy = new IamRolePolicyAttachment(this, 'PushToCloudWatchLogs', {
      role: this.role.name,
      policyArn: `arn:${partition.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
      lifecycle: NEVER_DESTROY,
    });
    this.account = new ApiGatewayAccount(this, 'Account', {
      cloudwatchRoleArn: this.role.arn,
      resetOnDelete: props.resetOnDelete ?? true,
      // API Gateway checks the role's rights when the setting is made.
      dependsOn: [policy],
      lifecycle: NEVER_DESTROY,
    });
  }
}
