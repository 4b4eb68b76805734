import * as crypto from 'crypto';
import { Construct } from 'constructs';
import { DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformResource, Tokenization } from 'cdktf';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';

/**
 * The deployment of a REST API and what triggers a new one. API Gateway serves a snapshot taken at
 * deployment time, so a changed method or template is not live until the deployment is replaced;
 * aws-cdk solves this by hashing the definition into the deployment's logical id (`deployment.ts`),
 * we hash it into `triggers`, which forces a replacement the same way.
 */

// Everything that, when changed, only takes effect after a new deployment.
const DEFINITION_TYPES = new Set([
  'aws_api_gateway_resource',
  'aws_api_gateway_method',
  'aws_api_gateway_method_response',
  'aws_api_gateway_integration',
  'aws_api_gateway_integration_response',
  'aws_api_gateway_model',
  'aws_api_gateway_request_validator',
  'aws_api_gateway_gateway_response',
  'aws_api_gateway_authorizer',
]);

/**
 * A deployment of the API defined under `api` (every definition resource in its construct subtree),
 * replaced whenever any of them changes.
 */
export function addRestApiDeployment(api: Construct, restApiId: string): ApiGatewayDeployment {
  const deployment = new ApiGatewayDeployment(api, 'Deployment', {
    restApiId,
    description: 'Managed by cdktf; replaced whenever the API definition changes',
    triggers: {
      definition: Lazy.stringValue({ produce: () => definitionHash(api) }),
      // The definition hash sees references, not their values: when a target behind a reference
      // changes (a replaced function, a renamed role), Terraform's own hash of the values does.
      targets: Lazy.stringValue({ produce: () => Fn.sha1(Fn.jsonencode(integrationTargets(api))) }),
    },
    // A new deployment must exist before the stage moves to it and the old one is deleted.
    lifecycle: { createBeforeDestroy: true },
  });
  deployment.addOverride('depends_on', Lazy.listValue({ produce: () => definitions(api).map(address) }));
  return deployment;
}

function definitions(api: Construct): TerraformResource[] {
  return api.node
    .findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource && DEFINITION_TYPES.has(c.terraformResourceType))
    .sort((a, b) => a.node.path.localeCompare(b.node.path));
}

function integrationTargets(api: Construct): string[] {
  return definitions(api)
    .filter((d): d is ApiGatewayIntegration => d instanceof ApiGatewayIntegration)
    .flatMap((integration) => [integration.uri, integration.credentials]);
}

/** SHA-256 over the synthesized definitions, with references rendered as stable Terraform expressions. */
function definitionHash(api: Construct): string {
  const resolver = new DefaultTokenResolver(new StringConcat());
  const rendered = definitions(api).map((d) => ({
    address: address(d),
    definition: Tokenization.resolve(d.toTerraform(), { scope: api, preparing: false, resolver }),
  }));
  return crypto.createHash('sha256').update(JSON.stringify(rendered)).digest('hex');
}

/** `aws_api_gateway_method.Api_MethodGETHealth_1A287F01`: the resource's address in the plan. */
function address(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
