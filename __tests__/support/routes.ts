import { ref, resourcesOf, TfJson } from './synth';

/** The methods of a synthesized REST API, rebuilt from its resources, as API Gateway serves them. */

/** One method of a synthesized REST API with its integration and integration responses. */
export interface Route {
  readonly method: string;
  /** `/streams/{stream-name}/record` */
  readonly path: string;
  readonly config: Record<string, unknown>;
  readonly integration: Record<string, unknown>;
  /** Integration responses by status code. */
  readonly responses: Record<string, Record<string, unknown>>;
  /** Method response status codes. */
  readonly methodResponses: string[];
}

/** Every method of the stack's REST API, keyed `GET /streams`. */
export function routesOf(tf: TfJson): Record<string, Route> {
  const resources = resourcesOf(tf, 'aws_api_gateway_resource');
  const pathOf = (resourceRef: string): string => {
    const match = /^\$\{aws_api_gateway_resource\.([^.]+)\.id\}$/.exec(resourceRef);
    if (!match) return '';
    const resource = resources[match[1]];
    return `${pathOf(String(resource.parent_id))}/${String(resource.path_part)}`;
  };
  const sameMethod = (a: Record<string, unknown>, b: Record<string, unknown>) => a.resource_id === b.resource_id && a.http_method === b.http_method;
  const routes: Record<string, Route> = {};
  for (const [id, config] of Object.entries(resourcesOf(tf, 'aws_api_gateway_method'))) {
    const method = String(config.http_method);
    const path = pathOf(String(config.resource_id)) || '/';
    // Integrations and responses name the method as `${aws_api_gateway_method.<id>.http_method}`.
    const byMethod = (c: Record<string, unknown>) => sameMethod({ ...c, http_method: c.http_method === ref('aws_api_gateway_method', id, 'http_method') ? method : c.http_method }, config);
    const integrations = Object.values(resourcesOf(tf, 'aws_api_gateway_integration')).filter(byMethod);
    if (integrations.length !== 1) throw new Error(`${method} ${path}: expected one integration, found ${integrations.length}`);
    const responses = Object.fromEntries(
      Object.values(resourcesOf(tf, 'aws_api_gateway_integration_response'))
        .filter(byMethod)
        .map((r) => [statusOf(tf, r.status_code), r]),
    );
    const methodResponses = Object.values(resourcesOf(tf, 'aws_api_gateway_method_response'))
      .filter(byMethod)
      .map((r) => String(r.status_code));
    routes[`${method} ${path}`] = { method, path, config, integration: integrations[0], responses, methodResponses };
  }
  return routes;
}

/** Integration responses refer to their method response's status code; resolve it. */
function statusOf(tf: TfJson, value: unknown): string {
  const match = /^\$\{aws_api_gateway_method_response\.([^.]+)\.status_code\}$/.exec(String(value));
  return match ? String(resourcesOf(tf, 'aws_api_gateway_method_response')[match[1]].status_code) : String(value);
}

export function requestTemplateOf(route: Route): string {
  return (route.integration.request_templates as Record<string, string>)['application/json'];
}

export function responseTemplateOf(route: Route, status: string): string {
  const response = route.responses[status];
  if (!response) throw new Error(`${route.method} ${route.path} has no ${status} integration response`);
  return (response.response_templates as Record<string, string>)['application/json'];
}
