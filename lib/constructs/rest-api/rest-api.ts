import * as crypto from 'crypto';
import { Construct } from 'constructs';
import { DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformResource, Tokenization } from 'cdktf';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { NodejsFunction } from '../nodejs-function';

export interface RestApiProps {
  /** Physical API name. */
  readonly name: string;
  readonly description?: string;
  /** Retention of the access and execution log groups, in days. */
  readonly logRetentionDays: number;
  /** Steady-state requests per second on every method of the stage. */
  readonly rateLimit: number;
  /** Request burst on every method of the stage. */
  readonly burstLimit: number;
  /** @default 'v1' */
  readonly stageName?: string;
  /**
   * Answer a request for an unknown path with 404 and a JSON message instead of API Gateway's
   * 403 "Missing Authentication Token". Turn off for IAM-authorized APIs, where that 403 also
   * means "unsigned request". @default true
   */
  readonly unknownRouteIsNotFound?: boolean;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ANY';

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

export type Integration = LambdaProxyIntegration | AwsServiceIntegration;

export interface MethodOptions {
  readonly integration: Integration;
  /** @default false */
  readonly apiKeyRequired?: boolean;
  /** @default 'NONE' */
  readonly authorization?: 'NONE' | 'AWS_IAM';
  /** `method.request.querystring.x` / `method.request.header.x` / `method.request.path.x` -> required. */
  readonly requestParameters?: Readonly<Record<string, boolean>>;
  /** JSON-schema model the `application/json` body must match (validated by API Gateway). */
  readonly requestModel?: ApiGatewayModel;
}

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

const JSON_ERROR_BODY = '{"message":$context.error.messageString,"type":"$context.error.responseType","requestId":"$context.requestId"}';

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  sourceIp: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  errorMessage: '$context.error.message',
  validationError: '$context.error.validationErrorString',
  apiKeyId: '$context.identity.apiKeyId',
  userAgent: '$context.identity.userAgent',
});

/**
 * A regional REST API with its deployment and stage.
 *
 * The deployment is replaced whenever any resource, method, integration, response, model or
 * validator created through this construct changes (a hash of their synthesized definitions is a
 * deployment trigger), so a changed route is live after `cdktf deploy` with no console step.
 * The stage writes JSON access logs, traces with X-Ray and throttles every method; gateway errors
 * answer JSON.
 */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly stageName: string;
  private readonly resources = new Map<string, string>();
  private readonly validators = new Map<string, ApiGatewayRequestValidator>();
  private readonly lambdaPermissions = new Set<string>();

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.stageName = props.stageName ?? 'v1';

    this.api = new ApiGatewayRestApi(this, 'Api', {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ['REGIONAL'] },
      // Stops clients bypassing a custom domain's policies once one is attached, and is harmless without.
      apiKeySource: 'HEADER',
    });
    this.resources.set('/', this.api.rootResourceId);

    this.addGatewayResponse('DEFAULT_4XX');
    this.addGatewayResponse('DEFAULT_5XX');
    this.addGatewayResponse('BAD_REQUEST_BODY', undefined, {
      // Gateway responses are not VTL: the validator's detail can contain quotes that would break a
      // JSON body, so it travels in a header instead.
      'gatewayresponse.header.x-validation-error': 'context.error.validationErrorString',
    });
    if (props.unknownRouteIsNotFound ?? true) {
      this.addGatewayResponse('MISSING_AUTHENTICATION_TOKEN', '404', {}, '{"message":"No route matches this method and path","requestId":"$context.requestId"}');
    }

    this.deployment = new ApiGatewayDeployment(this, 'Deployment', {
      restApiId: this.api.id,
      description: 'Managed by cdktf; replaced whenever the API definition changes',
      triggers: {
        definition: Lazy.stringValue({ produce: () => this.definitionHash() }),
        // The definition hash sees references, not their values: when a target behind a reference
        // changes (a replaced function, a renamed role), Terraform's own hash of the values does.
        targets: Lazy.stringValue({ produce: () => Fn.sha1(Fn.jsonencode(this.integrationTargets())) }),
      },
      // A new deployment must exist before the stage moves to it and the old one is deleted.
      lifecycle: { createBeforeDestroy: true },
    });
    this.deployment.addOverride(
      'depends_on',
      Lazy.listValue({ produce: () => this.definitions().map(address) }),
    );

    this.accessLogGroup = new CloudwatchLogGroup(this, 'AccessLogs', {
      name: `/aws/apigateway/${props.name}/access`,
      retentionInDays: props.logRetentionDays,
    });
    // API Gateway creates this group itself on the first error log, with no retention; owning it first
    // keeps its retention ours.
    new CloudwatchLogGroup(this, 'ExecutionLogs', {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${this.stageName}`,
      retentionInDays: props.logRetentionDays,
    });

    this.stage = new ApiGatewayStage(this, 'Stage', {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName: this.stageName,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
    });
    new ApiGatewayMethodSettings(this, 'StageSettings', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        metricsEnabled: true,
        // Errors only, and never request or response bodies: they carry customer data.
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
      },
    });
  }

  /** Invoke URL of the stage, without trailing slash. */
  get url(): string {
    return this.stage.invokeUrl;
  }

  /** Id of the API Gateway resource for `path` (e.g. `/customers/{customerId}`), created on first use. */
  resourceId(path: string): string {
    const normalised = normalisePath(path);
    const existing = this.resources.get(normalised);
    if (existing) return existing;
    const parentPath = normalised.slice(0, normalised.lastIndexOf('/')) || '/';
    const parentId = this.resourceId(parentPath);
    const part = normalised.slice(normalised.lastIndexOf('/') + 1);
    const resource = new ApiGatewayResource(this, `Resource${logicalSuffix(normalised)}`, {
      restApiId: this.api.id,
      parentId,
      pathPart: part,
    });
    this.resources.set(normalised, resource.id);
    return resource.id;
  }

  /** A JSON-schema (draft 4) model for request bodies. */
  addModel(name: string, schema: object, description?: string): ApiGatewayModel {
    if (!/^[A-Za-z0-9]+$/.test(name)) {
      throw new Error(`RestApi ${this.node.path}: model name "${name}" must be alphanumeric (API Gateway rule).`);
    }
    return new ApiGatewayModel(this, `Model${name}`, {
      restApiId: this.api.id,
      name,
      description,
      contentType: 'application/json',
      schema: JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', title: name, ...schema }),
    });
  }

  addMethod(httpMethod: HttpMethod, path: string, options: MethodOptions): ApiGatewayMethod {
    const normalised = normalisePath(path);
    const id = `${httpMethod}${logicalSuffix(normalised)}`;
    const resourceId = this.resourceId(normalised);
    const validator = this.validatorFor(options);

    const method = new ApiGatewayMethod(this, `Method${id}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod,
      authorization: options.authorization ?? 'NONE',
      apiKeyRequired: options.apiKeyRequired ?? false,
      requestParameters: options.requestParameters ? { ...options.requestParameters } : undefined,
      requestModels: options.requestModel ? { 'application/json': options.requestModel.name } : undefined,
      requestValidatorId: validator?.id,
    });

    const integration = options.integration;
    if (integration.type === 'LAMBDA_PROXY') {
      new ApiGatewayIntegration(this, `Integration${id}`, {
        restApiId: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: integration.function.invokeArn,
      });
      this.allowInvoke(integration.function, httpMethod, normalised);
      return method;
    }

    const defaults = integration.responses.filter((r) => r.selectionPattern === undefined);
    if (defaults.length !== 1) {
      throw new Error(
        `RestApi ${this.node.path}: ${httpMethod} ${normalised} needs exactly one integration response without selectionPattern (the default); it has ${defaults.length}.`,
      );
    }
    const awsIntegration = new ApiGatewayIntegration(this, `Integration${id}`, {
      restApiId: this.api.id,
      resourceId,
      httpMethod: method.httpMethod,
      type: 'AWS',
      integrationHttpMethod: integration.integrationHttpMethod ?? 'POST',
      uri: integration.uri,
      credentials: integration.credentials,
      requestTemplates: { ...integration.requestTemplates },
      requestParameters: integration.requestParameters ? { ...integration.requestParameters } : undefined,
      // Anything not matching a template is refused (415) instead of being passed to AWS unmapped.
      passthroughBehavior: 'NEVER',
    });
    for (const response of integration.responses) {
      const methodResponse = new ApiGatewayMethodResponse(this, `MethodResponse${id}${response.statusCode}`, {
        restApiId: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: response.statusCode,
        responseParameters: response.responseParameters
          ? Object.fromEntries(Object.keys(response.responseParameters).map((k) => [k, true]))
          : undefined,
      });
      new ApiGatewayIntegrationResponse(this, `IntegrationResponse${id}${response.statusCode}`, {
        restApiId: this.api.id,
        resourceId,
        httpMethod: method.httpMethod,
        statusCode: methodResponse.statusCode,
        selectionPattern: response.selectionPattern,
        responseTemplates: response.responseTemplates ? { ...response.responseTemplates } : undefined,
        responseParameters: response.responseParameters ? { ...response.responseParameters } : undefined,
        dependsOn: [awsIntegration],
      });
    }
    return method;
  }

  /** ARN pattern for `execute-api:Invoke` on one method and path of this API's stage. */
  executeArn(httpMethod: HttpMethod, path: string): string {
    const resourcePath = normalisePath(path).replace(/\{[^}]+\}/g, '*');
    return `${this.api.executionArn}/${this.stageName}/${httpMethod === 'ANY' ? '*' : httpMethod}${resourcePath}`;
  }

  private allowInvoke(fn: NodejsFunction, httpMethod: HttpMethod, path: string): void {
    const key = `${fn.node.path}|${httpMethod}|${path}`;
    if (this.lambdaPermissions.has(key)) return;
    this.lambdaPermissions.add(key);
    new LambdaPermission(this, `Invoke${httpMethod}${logicalSuffix(path)}`, {
      functionName: fn.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      // Only this API, stage, method and path may invoke the function.
      sourceArn: this.executeArn(httpMethod, path),
    });
  }

  private validatorFor(options: MethodOptions): ApiGatewayRequestValidator | undefined {
    const body = options.requestModel !== undefined;
    const parameters = Object.values(options.requestParameters ?? {}).some((required) => required);
    if (!body && !parameters) return undefined;
    const kind = body && parameters ? 'BodyAndParameters' : body ? 'Body' : 'Parameters';
    let validator = this.validators.get(kind);
    if (!validator) {
      validator = new ApiGatewayRequestValidator(this, `Validator${kind}`, {
        restApiId: this.api.id,
        name: `validate-${kind.toLowerCase()}`,
        validateRequestBody: body,
        validateRequestParameters: parameters,
      });
      this.validators.set(kind, validator);
    }
    return validator;
  }

  private addGatewayResponse(
    responseType: string,
    statusCode?: string,
    responseParameters: Record<string, string> = {},
    body: string = JSON_ERROR_BODY,
  ): void {
    new ApiGatewayGatewayResponse(this, `GatewayResponse${responseType}`, {
      restApiId: this.api.id,
      responseType,
      statusCode,
      responseTemplates: { 'application/json': body },
      responseParameters: { 'gatewayresponse.header.Content-Type': "'application/json'", ...responseParameters },
    });
  }

  private definitions(): TerraformResource[] {
    return this.node
      .findAll()
      .filter((c): c is TerraformResource => c instanceof TerraformResource && DEFINITION_TYPES.has(c.terraformResourceType))
      .sort((a, b) => a.node.path.localeCompare(b.node.path));
  }

  private integrationTargets(): string[] {
    return this.definitions()
      .filter((d): d is ApiGatewayIntegration => d instanceof ApiGatewayIntegration)
      .flatMap((integration) => [integration.uri, integration.credentials]);
  }

  /** SHA-256 over the synthesized definitions, with references rendered as stable Terraform expressions. */
  private definitionHash(): string {
    const resolver = new DefaultTokenResolver(new StringConcat());
    const rendered = this.definitions().map((d) => ({
      address: address(d),
      definition: Tokenization.resolve(d.toTerraform(), { scope: this, preparing: false, resolver }),
    }));
    return crypto.createHash('sha256').update(JSON.stringify(rendered)).digest('hex');
  }
}

/** `aws_api_gateway_method.Api_MethodGETHealth_1A287F01`: the resource's address in the plan. */
function address(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

function normalisePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '') return '/';
  if (!/^(\/(\{[A-Za-z0-9_.+-]+\}|[A-Za-z0-9_.:-]+))+$/.test(trimmed)) {
    throw new Error(`Invalid API path "${path}": use segments like /customers/{customerId}.`);
  }
  return trimmed;
}

/** `/customers/{customerId}/email` -> `CustomersCustomerIdEmail`, stable and readable in the plan. */
function logicalSuffix(path: string): string {
  if (path === '/') return 'Root';
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `by ${segment}` : segment))
    .map((segment) => segment.replace(/[^A-Za-z0-9]/g, ' ').trim())
    .map((segment) => segment.split(/\s+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''))
    .join('');
}
