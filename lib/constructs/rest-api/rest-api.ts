import { Construct } from 'constructs';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayModel } from '@cdktf/provider-aws/lib/api-gateway-model';
import { ApiGatewayRequestValidator } from '@cdktf/provider-aws/lib/api-gateway-request-validator';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { ConstructValidationError } from '../errors';
import { IMonitorable, MonitoredSection, MonitoringContext } from '../../monitoring';
import { monitorApi } from '../../monitoring-api';
import { NodejsFunction } from '../nodejs-function';
import { addRestApiDeployment } from './deployment';
import { addGatewayResponses } from './gateway-responses';
import { addLambdaProxyIntegration, addMappedIntegration, Integration } from './integrations';
import { logicalSuffix, normalisePath } from './paths';

export type { AwsServiceIntegration, Integration, IntegrationResponse, LambdaProxyIntegration, MockIntegration } from './integrations';

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

/**
 * One JSON object per request. API Gateway substitutes `$context` values into this text without
 * escaping them, so only values that cannot hold a double quote are placed inside quotes: ids,
 * numbers, our own resource paths. The error message goes in through `$context.error.messageString`,
 * which API Gateway documents as the *quoted* message; client-controlled text (the user agent) and the
 * validator's detail (`$context.error.validationErrorString`, which quotes field names) are left out,
 * because either would break the line's JSON.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
 */
export const ACCESS_LOG_FORMAT = `{${[
  '"requestId":"$context.requestId"',
  '"extendedRequestId":"$context.extendedRequestId"',
  '"sourceIp":"$context.identity.sourceIp"',
  '"requestTime":"$context.requestTime"',
  '"httpMethod":"$context.httpMethod"',
  '"resourcePath":"$context.resourcePath"',
  '"status":"$context.status"',
  '"protocol":"$context.protocol"',
  '"responseLength":"$context.responseLength"',
  '"responseLatency":"$context.responseLatency"',
  '"integrationStatus":"$context.integration.status"',
  '"integrationLatency":"$context.integration.latency"',
  '"errorType":"$context.error.responseType"',
  '"errorMessage":$context.error.messageString',
  '"apiKeyId":"$context.identity.apiKeyId"',
].join(',')}}`;

/**
 * A regional REST API with its deployment and stage.
 *
 * The deployment is replaced whenever any resource, method, integration, response, model or
 * validator created through this construct changes (a hash of their synthesized definitions is a
 * deployment trigger), so a changed route is live after `cdktf deploy` with no console step.
 * The stage writes JSON access logs, traces with X-Ray and throttles every method; gateway errors
 * answer JSON.
 */
export class RestApi extends Construct implements IMonitorable {
  readonly api: ApiGatewayRestApi;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly stageName: string;
  private readonly resources = new Map<string, string>();
  private readonly validators = new Map<string, ApiGatewayRequestValidator>();
  private readonly lambdaPermissions = new Set<string>();
  private monitored?: MonitoredSection;

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

    addGatewayResponses(this, this.api.id, { unknownRouteIsNotFound: props.unknownRouteIsNotFound ?? true });
    this.deployment = addRestApiDeployment(this, this.api.id);

    this.accessLogGroup = new CloudwatchLogGroup(this, 'AccessLogs', {
      name: `/aws/apigateway/${props.name}/access`,
      retentionInDays: props.logRetentionDays,
    });
    // API Gateway creates this group itself on the first error log, with no retention; owning it first
    // keeps its retention ours. The stage (and so the method settings that turn logging on) waits for
    // it: were logging on first, one early error would create the group and ours would then fail with
    // ResourceAlreadyExistsException. The provider's documented pattern, depends_on included:
    // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/api_gateway_stage#managing-the-api-logging-cloudwatch-log-group
    const executionLogGroup = new CloudwatchLogGroup(this, 'ExecutionLogs', {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${this.stageName}`,
      retentionInDays: props.logRetentionDays,
    });

    this.stage = new ApiGatewayStage(this, 'Stage', {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName: this.stageName,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: [executionLogGroup],
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

  get restApiId(): string {
    return this.api.id;
  }

  /** 5xx rate and p99 latency of the stage, alarmed; requests, errors and latency graphed. */
  monitor(context: MonitoringContext): MonitoredSection {
    this.monitored ??= monitorApi(this, context, {
      kind: 'REST API',
      name: this.api.name,
      dimensions: { ApiName: this.api.name, Stage: this.stage.stageName },
      serverErrorMetric: '5XXError',
      clientErrorMetric: '4XXError',
      logGroupName: this.accessLogGroup.name,
    });
    return this.monitored;
  }

  /** The stage's name as a reference to the stage, so whatever uses it (a usage plan) waits for the stage. */
  get deployedStageName(): string {
    return this.stage.stageName;
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
      throw new ConstructValidationError(this, [`model name "${name}" must be alphanumeric (API Gateway rule)`]);
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

    const integration: Integration = options.integration;
    const site = { restApiId: this.api.id, resourceId, httpMethod: method.httpMethod, route: `${httpMethod} ${normalised}`, id };
    if (integration.type === 'LAMBDA_PROXY') {
      addLambdaProxyIntegration(this, site, integration);
      this.allowInvoke(integration.function, httpMethod, normalised);
    } else {
      addMappedIntegration(this, site, integration);
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
}
