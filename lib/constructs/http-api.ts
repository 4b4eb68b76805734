import { Construct } from 'constructs';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Authorizer } from '@cdktf/provider-aws/lib/apigatewayv2-authorizer';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { IMonitorable, MonitoredSection, MonitoringContext } from '../monitoring';
import { monitorApi } from '../monitoring-api';
import { NodejsFunction } from './nodejs-function';

export interface HttpApiProps {
  /** Physical API name. */
  readonly name: string;
  readonly description?: string;
  /** Retention of the access log group, in days. */
  readonly logRetentionDays: number;
  /** Steady-state requests per second on every route of the stage. */
  readonly rateLimit: number;
  /** Request burst on every route of the stage. */
  readonly burstLimit: number;
}

export interface RequestAuthorizerOptions {
  /** The Lambda that decides; it must answer payload 2.0 simple responses (`{ isAuthorized }`). */
  readonly function: NodejsFunction;
  /**
   * Request parts that must be present and that key the authorizer's result cache; a request
   * missing any of them is answered 401 without invoking the Lambda.
   */
  readonly identitySources: readonly string[];
  /** Seconds API Gateway caches a decision per identity (0-3600). @default 300 */
  readonly resultTtlSeconds?: number;
}

export interface AwsServiceIntegrationOptions {
  /** First-class integration subtype, e.g. `SQS-SendMessage`. */
  readonly subtype: string;
  /** Role API Gateway assumes to call the service; grant it exactly that one action. */
  readonly credentialsArn: string;
  /** The subtype's parameters, e.g. `{ QueueUrl, MessageBody: '$request.body' }`. */
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly description?: string;
  /** @default 10000 */
  readonly timeoutMilliseconds?: number;
}

export interface RouteOptions {
  readonly integration: Apigatewayv2Integration;
  /** @default no authorization (the route is public) */
  readonly authorizer?: Apigatewayv2Authorizer;
}

const ROUTE_KEY = /^(\$default|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \/[A-Za-z0-9_.\-{}+/]*)$/;

// HTTP APIs have their own context variables (routeKey, integrationErrorMessage, authorizer.error).
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  sourceIp: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  errorMessage: '$context.error.message',
  userAgent: '$context.identity.userAgent',
});

/**
 * An HTTP API (API Gateway v2) with its `$default` stage: auto-deployed (every route change is live
 * after apply, with no deployment resource to replace), JSON access logs in a log group we own, and
 * throttling on every route.
 */
export class HttpApi extends Construct implements IMonitorable {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly accessLogGroup: CloudwatchLogGroup;
  private readonly routeKeys = new Set<string>();
  private monitored?: MonitoredSection;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    validateProps(this.node.path, props);

    this.api = new Apigatewayv2Api(this, 'Api', {
      name: props.name,
      description: props.description,
      protocolType: 'HTTP',
    });

    this.accessLogGroup = new CloudwatchLogGroup(this, 'AccessLogs', {
      // HTTP API access logs are vended logs: API Gateway appends each group's ARN to the region's
      // CloudWatch Logs resource policy, which is capped at 5,120 characters and never cleaned up, and
      // a full policy makes stage creation fail. One wildcard covers every group under
      // /aws/vendedlogs/, so groups there never grow the policy.
      // https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html (the same mechanism, documented);
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
      name: `/aws/vendedlogs/apigateway/${props.name}/access`,
      retentionInDays: props.logRetentionDays,
    });

    this.stage = new Apigatewayv2Stage(this, 'Stage', {
      apiId: this.api.id,
      name: '$default',
      // An explicit aws_apigatewayv2_deployment would need its own change trigger; auto-deploy
      // publishes every route and integration change as soon as it is applied.
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      defaultRouteSettings: {
        detailedMetricsEnabled: true,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
      },
    });
  }

  /**
   * 5xx rate and p99 latency of the stage, alarmed; requests, errors and latency graphed. An
   * authorizer that fails shows here as 500s and as errors of its own function.
   *
   * HTTP APIs publish `5xx`, `4xx`, `Count`, `Latency` under `AWS/ApiGateway` with the dimensions
   * `ApiId`, `ApiId`+`Stage` (the stage's name, here `$default`) and `ApiId`+`Stage`+`Route`
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html; aws-cdk's
   * HttpStage.metricServerError uses the same `ApiId`/`Stage` pair). That page does not say which
   * statistic is the error rate; the REST page documents `Average` of the 0-or-1-per-request error
   * metric as the rate (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html),
   * and we rely on HTTP APIs publishing `5xx` the same way.
   */
  monitor(context: MonitoringContext): MonitoredSection {
    this.monitored ??= monitorApi(this, context, {
      kind: 'HTTP API',
      name: this.api.name,
      dimensions: { ApiId: this.api.id, Stage: this.stage.name },
      serverErrorMetric: '5xx',
      clientErrorMetric: '4xx',
      logGroupName: this.accessLogGroup.name,
    });
    return this.monitored;
  }

  /** Base URL of the `$default` stage, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/`. */
  get url(): string {
    return this.stage.invokeUrl;
  }

  /**
   * A REQUEST Lambda authorizer (payload 2.0, simple responses), and the permission for this API,
   * and only through this authorizer, to invoke the function.
   */
  addRequestAuthorizer(name: string, options: RequestAuthorizerOptions): Apigatewayv2Authorizer {
    const ttl = options.resultTtlSeconds ?? 300;
    const problems: string[] = [];
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) problems.push(`name "${name}" must be 1-128 letters, digits, hyphens or underscores`);
    if (options.identitySources.length === 0) problems.push('identitySources must name at least one request part, e.g. $request.header.Authorization');
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) problems.push(`resultTtlSeconds ${ttl} must be a whole number from 0 to 3600`);
    if (problems.length > 0) throw new Error(`HttpApi ${this.node.path}: authorizer ${name}: ${problems.join('; ')}.`);

    const authorizer = new Apigatewayv2Authorizer(this, `Authorizer${pascalCase(name)}`, {
      apiId: this.api.id,
      name,
      authorizerType: 'REQUEST',
      authorizerUri: options.function.invokeArn,
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySources: [...options.identitySources],
      authorizerResultTtlInSeconds: ttl,
    });
    new LambdaPermission(this, `Invoke${pascalCase(name)}`, {
      functionName: options.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${this.api.executionArn}/authorizers/${authorizer.id}`,
    });
    return authorizer;
  }

  /** A first-class AWS service integration (AWS_PROXY with a subtype), e.g. SQS-SendMessage. */
  addAwsServiceIntegration(name: string, options: AwsServiceIntegrationOptions): Apigatewayv2Integration {
    const timeout = options.timeoutMilliseconds ?? 10000;
    if (!Number.isInteger(timeout) || timeout < 50 || timeout > 30000) {
      throw new Error(`HttpApi ${this.node.path}: integration ${name}: timeoutMilliseconds ${timeout} must be from 50 to 30000.`);
    }
    return new Apigatewayv2Integration(this, `Integration${pascalCase(name)}`, {
      apiId: this.api.id,
      description: options.description,
      integrationType: 'AWS_PROXY',
      integrationSubtype: options.subtype,
      credentialsArn: options.credentialsArn,
      requestParameters: { ...options.requestParameters },
      // AWS service integrations only support payload format 1.0; stating it avoids a diff on re-plan.
      payloadFormatVersion: '1.0',
      timeoutMilliseconds: timeout,
    });
  }

  /** A route such as `POST /submit`, optionally behind a Lambda authorizer. */
  addRoute(routeKey: string, options: RouteOptions): Apigatewayv2Route {
    if (!ROUTE_KEY.test(routeKey)) {
      throw new Error(`HttpApi ${this.node.path}: route key "${routeKey}" must be "$default" or "<METHOD> /<path>", e.g. "POST /submit".`);
    }
    if (this.routeKeys.has(routeKey)) {
      throw new Error(`HttpApi ${this.node.path}: route "${routeKey}" is defined twice; give each method and path one integration.`);
    }
    this.routeKeys.add(routeKey);
    return new Apigatewayv2Route(this, `Route${routeKey === '$default' ? 'Default' : pascalCase(routeKey)}`, {
      apiId: this.api.id,
      routeKey,
      target: `integrations/${options.integration.id}`,
      authorizationType: options.authorizer ? 'CUSTOM' : 'NONE',
      authorizerId: options.authorizer?.id,
    });
  }
}

function validateProps(path: string, props: HttpApiProps): void {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_ -]{1,128}$/.test(props.name)) problems.push(`name "${props.name}" must be 1-128 letters, digits, spaces, hyphens or underscores`);
  if (!Number.isInteger(props.rateLimit) || props.rateLimit < 1) problems.push(`rateLimit ${props.rateLimit} must be a positive whole number`);
  if (!Number.isInteger(props.burstLimit) || props.burstLimit < 1) problems.push(`burstLimit ${props.burstLimit} must be a positive whole number`);
  if (problems.length > 0) throw new Error(`HttpApi ${path}: ${problems.join('; ')}.`);
}

/** `POST /submit` -> `PostSubmit`, `basic-auth` -> `BasicAuth`: stable and readable in the plan. */
function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}
