import { ApiGatewayAccountStack, APIGW_ACCOUNT_STACK } from '../../stacks/apigw-account/stack';
import { onlyResource, ref, resourcesOf, synthesizedApp, synthStack, testConfig, TfJson } from '../support/synth';
import { trustedServices } from '../support/iam';

const tf = synthStack((app) => new ApiGatewayAccountStack(app, testConfig()));
const roleId = Object.keys(tf.resource?.aws_iam_role ?? {})[0];

describe('apigw-account: the account-wide API Gateway CloudWatch role', () => {
  // One setting per account and region, so every environment there must see one owner: the same
  // role name, state key and tags whatever PIPELINES_ENV is.
  describe.each(['dev', 'staging', 'prod'])('in environment %s', (env) => {
    const envTf = synthStack((app) => new ApiGatewayAccountStack(app, testConfig({ PIPELINES_ENV: env, PIPELINES_REGION: 'eu-west-1' })));
    const backend = (json: TfJson) => (json.terraform as { backend: { s3: { key: string; bucket: string } } }).backend.s3;

    it('keeps its state under a key of the account and region, naming no environment', () => {
      expect(backend(envTf).key).toBe('serverless-pipelines/_account/eu-west-1/apigw-account.tfstate');
      // Still in the environment's state bucket: environments sharing a bucket share this state.
      expect(backend(envTf).bucket).toBe(`serverless-pipelines-tfstate-${env}`);
    });

    it('names its role after the region only, and tags it with no environment', () => {
      expect(onlyResource(envTf, 'aws_iam_role').name).toBe('sp-apigw-cloudwatch-eu-west-1');
      const provider = (envTf.provider as { aws: { default_tags: { tags: Record<string, string> }[] }[] }).aws[0];
      expect(provider.default_tags[0].tags.environment).toBe('_account');
      expect(JSON.stringify(envTf)).not.toContain(`sp-${env}-`);
    });
  });

  // The provider's delete resets whatever role the account has, so a destroy from any environment
  // would stop every other environment's REST logs; Terraform must refuse it.
  // https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
  it('cannot be destroyed by Terraform: every resource has prevent_destroy', () => {
    const all = Object.keys(tf.resource ?? {}).flatMap((type) => Object.values(resourcesOf(tf, type)));
    expect(all).toHaveLength(3);
    for (const resource of all) expect(resource.lifecycle).toEqual({ prevent_destroy: true });
  });

  // Every REST API of the account and region logs through this role, so it gets what AWS's own
  // managed policy grants, not a narrowing to our log groups that would silence other teams' APIs.
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonAPIGatewayPushToCloudWatchLogs.html
  it("has exactly AWS's AmazonAPIGatewayPushToCloudWatchLogs managed policy, and API Gateway alone may assume it", () => {
    expect(onlyResource(tf, 'aws_iam_role_policy_attachment')).toEqual({
      lifecycle: { prevent_destroy: true },
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
    const local = synthStack((app) => new ApiGatewayAccountStack(app, testConfig({ PIPELINES_TARGET: 'local' })));
    expect(onlyResource(local, 'aws_api_gateway_account').reset_on_delete).toBe(false);
  });

  it('is not built at all when the account already has a role someone else manages', () => {
    const built = synthesizedApp({ PIPELINES_APIGW_ACCOUNT_ROLE: 'existing' }).stacks.map((s) => s.id);
    expect(built).not.toContain(APIGW_ACCOUNT_STACK);
  });
});
