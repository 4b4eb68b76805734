import { Testing } from 'cdktf';
import { buildStacks } from '../../stacks';
import { ApiGatewayAccountStack, APIGW_ACCOUNT_STACK } from '../../stacks/apigw-account/stack';
import { onlyResource, ref, synthStack, testConfig } from '../support/synth';
import { trustedServices } from '../support/iam';

const tf = synthStack((app) => new ApiGatewayAccountStack(app, testConfig()));
const roleId = Object.keys(tf.resource?.aws_iam_role ?? {})[0];

describe('apigw-account: the account-wide API Gateway CloudWatch role', () => {
  it('keeps its state in the state bucket under its own key', () => {
    expect((tf.terraform as { backend: { s3: { key: string } } }).backend.s3.key).toBe('serverless-pipelines/dev/apigw-account.tfstate');
  });

  // Every REST API of the account and region logs through this role, so it gets what AWS's own
  // managed policy grants, not a narrowing to our log groups that would silence other teams' APIs.
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonAPIGatewayPushToCloudWatchLogs.html
  it("has exactly AWS's AmazonAPIGatewayPushToCloudWatchLogs managed policy, and API Gateway alone may assume it", () => {
    expect(onlyResource(tf, 'aws_iam_role_policy_attachment')).toEqual({
      role: ref('aws_iam_role', roleId, 'name'),
      policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[A-Za-z0-9_]+\.partition\}:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs$/),
    });
    expect(tf.resource?.aws_iam_role_policy).toBeUndefined();
    expect(trustedServices(tf, roleId)).toEqual(['apigateway.amazonaws.com']);
  });

  // Without reset_on_delete, destroying aws_api_gateway_account leaves the account pointing at the
  // deleted role. https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/api_gateway_account
  it('resets the setting on destroy, and is set only once the role has its policy', () => {
    const account = onlyResource(tf, 'aws_api_gateway_account');
    expect(account).toMatchObject({ cloudwatch_role_arn: ref('aws_iam_role', roleId, 'arn'), reset_on_delete: true });
    expect(account.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]);
  });

  it('is not built at all when the account already has a role someone else manages', () => {
    const app = Testing.app();
    buildStacks(app, testConfig({ PIPELINES_APIGW_ACCOUNT_ROLE: 'existing' }));
    expect(app.node.children.map((c) => c.node.id)).not.toContain(APIGW_ACCOUNT_STACK);
  });
});
