import { ServiceCaller } from '../aws/service-call';
import { FunctionRegistry } from '../lambda/functions';
import { LocalRequest, LocalResponse, jsonResponse } from '../server/http-types';
import { AuthorizerRunner } from './authorizer';
import { HttpApiDefinition } from './definition';
import { httpContext } from './request-data';
import { matchHttpRoute } from './route-match';
import { sqsSendMessage } from './sqs-send-message';

/**
 * One deployed HTTP API: route, then the route's Lambda authorizer, then its integration. The
 * error bodies are HTTP APIs' fixed ones (`{"message":"Not Found"}`, `Unauthorized`, `Forbidden`,
 * `Internal Server Error`): HTTP APIs have no gateway responses to customise.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 */
export class HttpApiHandler {
  private readonly authorizers = new Map<string, AuthorizerRunner>();

  constructor(
    readonly definition: HttpApiDefinition,
    private readonly deps: { readonly functions: FunctionRegistry; readonly services: ServiceCaller; readonly accountId: string; readonly region: string },
  ) {}

  async handle(request: LocalRequest): Promise<LocalResponse> {
    const api = this.definition;
    const match = matchHttpRoute(api.routes, request.method, request.path);
    if (!match) return jsonResponse(404, { message: 'Not Found' }, 'gateway no route');
    const { route } = match;
    const context = httpContext(request, api.id, api.stage, route.routeKey, this.deps.accountId);
    const data = { request, pathParameters: match.pathParameters, context };

    if (route.authorizationType === 'CUSTOM') {
      const authorizer = route.authorizer;
      if (!authorizer) return jsonResponse(500, { message: 'Internal Server Error' }, 'gateway authorizer missing');
      const runner = this.runnerFor(authorizer.id, authorizer, route.routeKey);
      const decision = await runner.decide(data);
      const label = `authorizer ${authorizer.name}${decision.cached ? ' (cached)' : ''}`;
      if (decision.kind === 'unauthorized') return jsonResponse(401, { message: 'Unauthorized' }, label);
      if (decision.kind === 'forbidden') return jsonResponse(403, { message: 'Forbidden' }, label);
      if (decision.kind !== 'allow') return jsonResponse(500, { message: 'Internal Server Error' }, `${label} failed`);
      context.authorizer = { lambda: decision.context };
    } else if (route.authorizationType !== 'NONE') {
      return jsonResponse(500, { message: 'Internal Server Error' }, `unsupported authorization ${route.authorizationType}`);
    }

    const integration = route.integration;
    if (integration?.type === 'AWS_PROXY' && integration.subtype === 'SQS-SendMessage') {
      return sqsSendMessage(integration, data, this.deps.services);
    }
    return jsonResponse(500, { message: 'Internal Server Error' }, `unsupported integration ${integration?.type ?? 'none'} ${integration?.subtype ?? ''}`.trim());
  }

  private runnerFor(id: string, authorizer: NonNullable<HttpApiDefinition['routes'][number]['authorizer']>, routeKey: string): AuthorizerRunner {
    let runner = this.authorizers.get(id);
    if (!runner) {
      const [method, path] = routeKey.split(' ');
      const routeArn = `arn:aws:execute-api:${this.deps.region}:${this.deps.accountId}:${this.definition.id}/${this.definition.stage}/${method}${path ?? ''}`;
      runner = new AuthorizerRunner(authorizer, this.deps.functions, routeArn);
      this.authorizers.set(id, runner);
    }
    return runner;
  }
}
