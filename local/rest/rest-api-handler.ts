import { Method } from '@aws-sdk/client-api-gateway';
import { parseActionUri, ServiceCaller } from '../aws/service-call';
import { claimedAccessKeyId, verifySignature } from '../aws/sigv4';
import { AccessControl } from '../iam/access-control';
import { Caller, CallerCredentials } from '../iam/callers';
import { FunctionRegistry } from '../lambda/functions';
import { header, LocalRequest, LocalResponse, singleValues } from '../server/http-types';
import { renderMappingTemplate, VtlInputError } from '../vtl/renderer';
import { RestApiDefinition } from './definition';
import { GatewayError, gatewayResponse } from './gateway-responses';
import { mapIntegrationResponse } from './integration-response';
import { mockIntegrationResponse } from './mock-integration';
import { proxyEvent, proxyResponse } from './proxy-event';
import { newRequestContext, RequestContext } from './request-context';
import { chooseRequestTemplate, mediaType } from './request-template';
import { matchRoute } from './router';
import { validateRequest } from './validation';

/**
 * One deployed REST API, served in the order API Gateway processes a request: method matching,
 * IAM (SigV4) authentication, API key, request validation, integration request (mapping template
 * or Lambda proxy event), integration, integration response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-method-settings.html
 */
export interface RestDependencies {
  readonly functions: FunctionRegistry;
  readonly services: ServiceCaller;
  readonly accountId: string;
  /** The credentials the emulator issued, for SigV4 verification. */
  readonly callers: CallerCredentials;
  /** IAM: the caller's policies must allow execute-api:Invoke on the route. */
  readonly access: AccessControl;
  readonly region: string;
}

// API Gateway's payload limit: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class RestApiHandler {
  constructor(
    readonly definition: RestApiDefinition,
    private readonly deps: RestDependencies,
  ) {}

  async handle(request: LocalRequest): Promise<LocalResponse> {
    const api = this.definition;
    const context = newRequestContext({
      accountId: this.deps.accountId,
      apiId: api.id,
      stage: api.stage,
      httpMethod: request.method,
      path: request.path,
      host: request.host,
      sourceIp: request.sourceIp,
      userAgent: header(request, 'user-agent'),
    });
    const headers = singleValues(request.headers);
    const fail = (error: GatewayError): LocalResponse => gatewayResponse(error, api.gatewayResponses, context, headers);
    if (request.body.length > MAX_BODY_BYTES) return fail({ type: 'REQUEST_TOO_LARGE', message: 'Request Too Long' });

    const route = matchRoute(api.resources, request.method, request.path);
    if (!route) return fail({ type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' });
    const method = route.method;
    context.resourceId = route.resource.id;
    context.resourcePath = route.resource.path;

    const denied = await this.authenticate(request, method, context);
    if (denied) return fail(denied);

    const contentType = mediaType(header(request, 'content-type'));
    const body = request.body.toString('utf8');
    const invalid = validateRequest({
      method,
      validator: method.requestValidatorId ? api.validators.get(method.requestValidatorId) : undefined,
      models: api.models,
      contentType,
      body,
      pathParameters: route.pathParameters,
      query: request.query,
      headers: request.headers,
    });
    if (invalid) return fail(invalid);

    const integration = method.methodIntegration;
    if (!integration) return fail({ type: 'API_CONFIGURATION_ERROR', message: 'Internal server error', status: 500 });
    if (integration.type === 'AWS_PROXY' && /:lambda:path\/[^/]+\/functions\//.test(integration.uri ?? '')) {
      return this.lambdaProxy(request, route.resource.path, route.pathParameters, context, integration.uri!, fail);
    }
    if (integration.type === 'AWS' || integration.type === 'MOCK') {
      const choice = chooseRequestTemplate(integration, contentType);
      if (choice.kind === 'unsupported') return fail({ type: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' });
      let serviceBody = body;
      if (choice.kind === 'template') {
        try {
          const rendered = renderMappingTemplate(choice.template, {
            body,
            headers,
            pathParameters: { ...route.pathParameters },
            queryStringParameters: singleValues(request.query),
            context: context as unknown as Record<string, unknown>,
            kind: 'request',
          });
          serviceBody = rendered.output;
        } catch (error) {
          if (error instanceof VtlInputError) return fail({ type: 'BAD_REQUEST_BODY', message: 'Could not parse request body into json', status: 400 });
          throw error;
        }
      }
      let backend;
      let label: string;
      if (integration.type === 'MOCK') {
        backend = mockIntegrationResponse(serviceBody);
        if (!backend) return fail({ type: 'API_CONFIGURATION_ERROR', message: 'Internal server error', status: 500 });
        label = `MOCK -> ${backend.status}`;
      } else {
        const action = parseActionUri(integration.uri ?? '');
        if (!action || !integration.credentials) return fail({ type: 'API_CONFIGURATION_ERROR', message: 'Internal server error', status: 500 });
        const integrationHeaders = this.integrationHeaders(integration.requestParameters ?? {}, request, route.pathParameters);
        try {
          backend = await this.deps.services.call(action, integration.credentials, serviceBody, integrationHeaders);
        } catch {
          return fail({ type: 'INTEGRATION_FAILURE', message: 'Internal server error', status: 500 });
        }
        label = `AWS ${action.service}:${action.action} -> ${backend.status}`;
      }
      const mapped = mapIntegrationResponse(integration.integrationResponses ?? {}, backend, context, header(request, 'accept'), {
        pathParameters: route.pathParameters,
        queryStringParameters: singleValues(request.query),
        headers,
      });
      if (!mapped) return fail({ type: 'API_CONFIGURATION_ERROR', message: 'Internal server error', status: 500 });
      return { ...mapped, integration: label };
    }
    return fail({ type: 'API_CONFIGURATION_ERROR', message: `Integration type ${integration.type} is not supported by the local data plane`, status: 500 });
  }

  /** `AWS_IAM`: a valid SigV4 signature by credentials the emulator issued; then the API key, if required. */
  private async authenticate(request: LocalRequest, method: Method, context: RequestContext): Promise<GatewayError | undefined> {
    if (method.authorizationType === 'AWS_IAM') {
      const headers = singleValues(request.headers);
      const accessKeyId = claimedAccessKeyId(headers.authorization);
      const caller: Caller | undefined = accessKeyId === undefined ? undefined : await this.deps.callers.find(accessKeyId);
      const outcome = verifySignature(
        { method: request.method, path: request.rawPath, rawQuery: request.rawQuery, headers, body: request.body },
        (id) => (caller && id === caller.accessKeyId ? caller.credential : undefined),
        { service: 'execute-api', region: this.deps.region },
      );
      if (!outcome.ok) {
        const type =
          outcome.reason === 'missing' ? 'MISSING_AUTHENTICATION_TOKEN' : outcome.reason === 'expired' ? 'EXPIRED_TOKEN' : outcome.reason === 'unknown-key' || outcome.reason === 'invalid-token' ? 'ACCESS_DENIED' : 'INVALID_SIGNATURE';
        return { type, message: outcome.message };
      }
      context.identity.accessKey = outcome.accessKeyId;
      context.identity.caller = outcome.accessKeyId;
      context.identity.user = outcome.accessKeyId;
      context.identity.accountId = this.deps.accountId;
      context.identity.userArn = caller!.principal.arn;
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
      const routeArn = `arn:aws:execute-api:${this.deps.region}:${this.deps.accountId}:${this.definition.id}/${this.definition.stage}/${request.method}${decodePath(request.path)}`;
      const refusal = await this.deps.access.invoke(caller!.principal, routeArn);
      if (refusal) return { type: 'ACCESS_DENIED', message: refusal };
    } else if (method.authorizationType && method.authorizationType !== 'NONE') {
      return { type: 'API_CONFIGURATION_ERROR', message: `Authorization type ${method.authorizationType} is not supported by the local data plane`, status: 500 };
    }
    if (method.apiKeyRequired) {
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
      const value = header(request, 'x-api-key');
      const key = value === undefined ? undefined : this.definition.apiKeys.get(value);
      if (!key) return { type: 'INVALID_API_KEY', message: 'Forbidden' };
      context.identity.apiKey = value!;
      context.identity.apiKeyId = key.id;
    }
    return undefined;
  }

  private async lambdaProxy(
    request: LocalRequest,
    resourcePath: string,
    pathParameters: Readonly<Record<string, string>>,
    context: RequestContext,
    uri: string,
    fail: (e: GatewayError) => LocalResponse,
  ): Promise<LocalResponse> {
    const fn = await this.deps.functions.get(uri);
    const outcome = await fn.invoke(proxyEvent(request, resourcePath, pathParameters, context));
    const label = `AWS_PROXY ${fn.name}`;
    if (!outcome.ok) return { ...fail({ type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 }), integration: `${label} (${outcome.error.errorType})` };
    const mapped = proxyResponse(outcome.result, label);
    if (!mapped.ok) return { ...fail({ type: 'DEFAULT_5XX', message: 'Internal server error', status: 502 }), integration: `${label} (malformed: ${mapped.reason})` };
    return mapped.response;
  }

  /** `integration.request.header.X` from a literal or a method request parameter. */
  private integrationHeaders(parameters: Readonly<Record<string, string>>, request: LocalRequest, pathParameters: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [target, source] of Object.entries(parameters)) {
      const name = /^integration\.request\.header\.(.+)$/.exec(target)?.[1];
      if (!name) continue;
      const literal = /^'(.*)'$/s.exec(source);
      let value: string | undefined = literal?.[1];
      const from = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(source);
      if (from) {
        value = from[1] === 'path' ? pathParameters[from[2]] : from[1] === 'querystring' ? request.query[from[2]]?.[0] : header(request, from[2]);
      }
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
