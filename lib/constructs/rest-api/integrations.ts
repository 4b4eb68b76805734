import { Construct } from 'constructs';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { throwIfProblems } from '../errors';
import { NodejsFunction } from '../nodejs-function';

/** The backends a REST API method can have, and how each is wired to the method. */

export interface IntegrationResponse {
  readonly statusCode: string;
  /** Regex over the backend's status (AWS integrations) or error message (Lambda); omit for the default response. */
  readonly selectionPattern?: string;
  readonly responseTemplates?: Readonly<Record<string, string>>;
  readonly responseParameters?: Readonly<Record<string, string>>;
}

/** Lambda proxy: the function receives the whole request and shapes the whole response. */
export interface LambdaProxyIntegration {
  readonly type: 'LAMBDA_PROXY';
  readonly function: NodejsFunction;
}

/** Direct call of an AWS service action with mapping templates, e.g. DynamoDB PutItem. */
export interface AwsServiceIntegration {
  readonly type: 'AWS';
  /** `arn:aws:apigateway:<region>:<service>:action/<Action>` */
  readonly uri: string;
  /** Role API Gateway assumes for the call. */
  readonly credentials: string;
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly requestParameters?: Readonly<Record<string, string>>;
  /** One response per outcome; exactly one must have no selectionPattern (the default). */
  readonly responses: readonly IntegrationResponse[];
  /** @default POST (every AWS service action is called with POST) */
  readonly integrationHttpMethod?: string;
}

/**
 * No backend: API Gateway answers from the mapping templates alone. The request template must
 * render `{"statusCode": <n>}`, which selects the integration response by status; its template is
 * the answer. https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
 */
export interface MockIntegration {
  readonly type: 'MOCK';
  readonly requestTemplates: Readonly<Record<string, string>>;
  /** One response per status the request template can choose; exactly one without selectionPattern. */
  readonly responses: readonly IntegrationResponse[];
}

export type Integration = LambdaProxyIntegration | AwsServiceIntegration | MockIntegration;

/** Where an integration attaches: the method it serves, and the logical id stem of its resources. */
export interface IntegrationSite {
  readonly restApiId: string;
  readonly resourceId: string;
  /** The method resource's `http_method` (a reference, so the integration waits for the method). */
  readonly httpMethod: string;
  /** `POST /comment`, for messages. */
  readonly route: string;
  /** e.g. `POSTComment`; the integration resources are `Integration<id>`, `MethodResponse<id><status>`, … */
  readonly id: string;
}

export function addLambdaProxyIntegration(api: Construct, site: IntegrationSite, integration: LambdaProxyIntegration): ApiGatewayIntegration {
  return new ApiGatewayIntegration(api, `Integration${site.id}`, {
    restApiId: site.restApiId,
    resourceId: site.resourceId,
    httpMethod: site.httpMethod,
    type: 'AWS_PROXY',
    // Lambda is always invoked with POST, whatever the client's method.
    integrationHttpMethod: 'POST',
    uri: integration.function.invokeArn,
  });
}

/** An `AWS` service or `MOCK` integration: request templates, then integration responses chosen by status. */
export function addMappedIntegration(api: Construct, site: IntegrationSite, integration: AwsServiceIntegration | MockIntegration): ApiGatewayIntegration {
  const defaults = integration.responses.filter((r) => r.selectionPattern === undefined);
  throwIfProblems(
    api,
    defaults.length === 1
      ? []
      : [`${site.route} needs exactly one integration response without selectionPattern (the default); it has ${defaults.length}`],
  );
  const awsIntegration = new ApiGatewayIntegration(api, `Integration${site.id}`, {
    restApiId: site.restApiId,
    resourceId: site.resourceId,
    httpMethod: site.httpMethod,
    ...(integration.type === 'AWS'
      ? {
          type: 'AWS',
          integrationHttpMethod: integration.integrationHttpMethod ?? 'POST',
          uri: integration.uri,
          credentials: integration.credentials,
          requestParameters: integration.requestParameters ? { ...integration.requestParameters } : undefined,
        }
      : { type: 'MOCK' }),
    requestTemplates: { ...integration.requestTemplates },
    // Anything not matching a template is refused (415) instead of being passed to AWS unmapped.
    passthroughBehavior: 'NEVER',
  });
  for (const response of integration.responses) {
    const methodResponse = new ApiGatewayMethodResponse(api, `MethodResponse${site.id}${response.statusCode}`, {
      restApiId: site.restApiId,
      resourceId: site.resourceId,
      httpMethod: site.httpMethod,
      statusCode: response.statusCode,
      responseParameters: response.responseParameters
        ? Object.fromEntries(Object.keys(response.responseParameters).map((k) => [k, true]))
        : undefined,
    });
    new ApiGatewayIntegrationResponse(api, `IntegrationResponse${site.id}${response.statusCode}`, {
      restApiId: site.restApiId,
      resourceId: site.resourceId,
      httpMethod: site.httpMethod,
      statusCode: methodResponse.statusCode,
      selectionPattern: response.selectionPattern,
      responseTemplates: response.responseTemplates ? { ...response.responseTemplates } : undefined,
      responseParameters: response.responseParameters ? { ...response.responseParameters } : undefined,
      dependsOn: [awsIntegration],
    });
  }
  return awsIntegration;
}
