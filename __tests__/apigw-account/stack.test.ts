import { appStack, onlyResource, ref, synthesizedApp } from '../support/synth';
import { trustedServices } from '../support/iam';

const tf = appStack('apigw-account');
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

  it('keeps the setting on destroy only on the local emulator, whose UpdateAccount cannot reset it', () => {
    const local = appStack('apigw-account', { PIPELINES_TARGET: 'local' });
    expect(onlyResource(local, 'aws_api_gateway_account').reset_on_delete).toBe(false);
  });

  it('is not built at all when the account already has a role someone else manages', () => {
    const built = synthesizedApp({ PIPELINES_APIGW_ACCOUNT_ROLE: 'existing' }).stacks.map((s) => s.id);
    expect(built).not.toContain('apigw-account');
  });
});
