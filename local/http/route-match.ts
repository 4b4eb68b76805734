import { HttpRoute } from './definition';

/**
 * HTTP API route selection: the most specific `METHOD /path` wins (literal parts over `{param}`
 * over greedy `{proxy+}`), the exact method over `ANY`; `$default` catches the rest.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation
 */
export interface HttpRouteMatch {
  readonly route: HttpRoute;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export function matchHttpRoute(routes: readonly HttpRoute[], method: string, path: string): HttpRouteMatch | undefined {
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  let best: { match: HttpRouteMatch; score: number[] } | undefined;
  for (const route of routes) {
    if (route.routeKey === '$default') continue;
    const [routeMethod, routePath] = route.routeKey.split(' ');
    if (routeMethod !== 'ANY' && routeMethod !== method.toUpperCase()) continue;
    const matched = matchPath(routePath ?? '/', parts);
    if (!matched) continue;
    const score = [...matched.score, routeMethod === 'ANY' ? 0 : 1];
    if (!best || compare(score, best.score) > 0) best = { match: { route, pathParameters: matched.params }, score };
  }
  if (best) return best.match;
  const fallback = routes.find((r) => r.routeKey === '$default');
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

function matchPath(template: string, parts: readonly string[]): { params: Record<string, string>; score: number[] } | undefined {
  const segments = template.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const greedy = /^\{(.+)\+\}$/.exec(segments[i]);
    if (greedy) {
      if (parts.length <= i) return undefined;
      params[greedy[1]] = parts.slice(i).join('/');
      score.push(1);
      return { params, score };
    }
    if (i >= parts.length) return undefined;
    const param = /^\{(.+)\}$/.exec(segments[i]);
    if (param) {
      params[param[1]] = parts[i];
      score.push(2);
    } else if (segments[i] === parts[i]) score.push(3);
    else return undefined;
  }
  return segments.length === parts.length ? { params, score } : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
