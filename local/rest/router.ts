import { Method } from '@aws-sdk/client-api-gateway';
import { RestResource } from './definition';

/**
 * Resource and method matching as API Gateway does it: a literal path part wins over a `{param}`
 * part, which wins over a greedy `{proxy+}`; the exact HTTP method wins over `ANY`. A path that
 * matches no resource, or a resource without the method, is "Missing Authentication Token".
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#setup-method-resources
 */
export interface RouteMatch {
  readonly resource: RestResource;
  readonly method: Method;
  /** Decoded path parameter values by name. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

export function matchRoute(resources: readonly RestResource[], httpMethod: string, rawPath: string): RouteMatch | undefined {
  const parts = splitPath(rawPath);
  if (parts === undefined) return undefined;
  let best: { resource: RestResource; params: Record<string, string>; score: number[] } | undefined;
  for (const resource of resources) {
    const match = matchResource(resource.path, parts);
    if (!match) continue;
    if (!best || compareScores(match.score, best.score) > 0) best = { resource, ...match };
  }
  if (!best) return undefined;
  const methods = best.resource.methods;
  const method = methods[httpMethod.toUpperCase()] ?? methods.ANY;
  return method ? { resource: best.resource, method, pathParameters: best.params } : undefined;
}

function splitPath(rawPath: string): string[] | undefined {
  try {
    return rawPath
      .split('/')
      .filter((p) => p !== '')
      .map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}

/** Score per position: 3 literal, 2 parameter, 1 greedy; compared left to right, so the most specific resource wins. */
function matchResource(template: string, parts: readonly string[]): { params: Record<string, string>; score: number[] } | undefined {
  const segments = template.split('/').filter((p) => p !== '');
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy) {
      if (i !== segments.length - 1 || parts.length <= i) return undefined;
      params[greedy[1]] = parts.slice(i).join('/');
      score.push(1);
      return { params, score };
    }
    if (i >= parts.length) return undefined;
    const param = /^\{(.+)\}$/.exec(segment);
    if (param) {
      params[param[1]] = parts[i];
      score.push(2);
    } else if (segment === parts[i]) {
      score.push(3);
    } else {
      return undefined;
    }
  }
  return segments.length === parts.length ? { params, score } : undefined;
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
