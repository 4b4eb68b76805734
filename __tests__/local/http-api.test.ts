import { AuthorizerRunner } from '../../local/http/authorizer';
import { HttpAuthorizer, HttpRoute } from '../../local/http/definition';
import { evaluateExpression } from '../../local/http/request-data';
import { matchHttpRoute } from '../../local/http/route-match';
import { FunctionRegistry } from '../../local/lambda/functions';
import { LocalRequest } from '../../local/server/http-types';

// AWS: "Routes for HTTP APIs" (route evaluation)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation
// AWS: "Lambda authorizers for HTTP APIs" (payload 2.0, simple responses, identity sources, caching)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
// AWS: "Transform API requests and responses for HTTP APIs" (parameter mapping expressions)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
const route = (routeKey: string): HttpRoute => ({ routeKey, authorizationType: 'NONE' });
const request = (over: Partial<LocalRequest> = {}): LocalRequest => ({
  method: 'POST',
  path: '/submit',
  rawPath: '/api/submit',
  rawQuery: 'q=1',
  query: { q: ['1'] },
  headers: { authorization: ['Basic abc'], 'content-type': ['application/json'] },
  body: Buffer.from('{"eventId":"e-1","nested":{"a":1}}'),
  sourceIp: '127.0.0.1',
  host: 'localhost',
  ...over,
});

describe('HTTP API routes', () => {
  const routes = [route('POST /submit'), route('ANY /submit'), route('GET /items/{id}'), route('GET /files/{proxy+}'), route('$default')];

  it('prefers the exact method, then ANY; matches parameters and greedy paths; $default catches the rest', () => {
    expect(matchHttpRoute(routes, 'POST', '/submit')?.route.routeKey).toBe('POST /submit');
    expect(matchHttpRoute(routes, 'PUT', '/submit')?.route.routeKey).toBe('ANY /submit');
    expect(matchHttpRoute(routes, 'GET', '/items/7')?.pathParameters).toEqual({ id: '7' });
    expect(matchHttpRoute(routes, 'GET', '/files/a/b')?.pathParameters).toEqual({ proxy: 'a/b' });
    expect(matchHttpRoute(routes, 'GET', '/other')?.route.routeKey).toBe('$default');
    expect(matchHttpRoute([route('POST /submit')], 'GET', '/other')).toBeUndefined();
  });
});

describe('HTTP API parameter mapping expressions', () => {
  const data = { request: request(), pathParameters: { id: '7' }, context: { requestId: 'r-1', http: { method: 'POST' } } };

  it('selects request parts, context variables and static values', () => {
    expect(evaluateExpression('$request.body', data)).toBe('{"eventId":"e-1","nested":{"a":1}}');
    expect(evaluateExpression('$request.body.eventId', data)).toBe('e-1');
    expect(evaluateExpression('$request.body.nested', data)).toBe('{"a":1}');
    expect(evaluateExpression('$request.header.Authorization', data)).toBe('Basic abc');
    expect(evaluateExpression('$request.querystring.q', data)).toBe('1');
    expect(evaluateExpression('$request.path.id', data)).toBe('7');
    expect(evaluateExpression('$context.requestId', data)).toBe('r-1');
    expect(evaluateExpression('https://sqs.example/queue', data)).toBe('https://sqs.example/queue');
    expect(evaluateExpression('id-${request.path.id}-${context.http.method}', data)).toBe('id-7-POST');
    expect(evaluateExpression('$request.header.missing', data)).toBeUndefined();
  });
});

describe('HTTP API REQUEST Lambda authorizer', () => {
  const authorizer: HttpAuthorizer = {
    id: 'a1',
    name: 'basic-auth',
    type: 'REQUEST',
    uri: 'arn:aws:lambda:us-east-1:1:function:auth',
    payloadFormatVersion: '2.0',
    simpleResponses: true,
    identitySources: ['$request.header.Authorization'],
    ttlSeconds: 300,
  };
  function registry(answer: (event: any) => unknown): { functions: FunctionRegistry; events: any[] } {
    const events: any[] = [];
    const functions = {
      get: async () => ({
        name: 'auth',
        arn: authorizer.uri,
        timeoutMs: 1000,
        invoke: async (event: unknown) => {
          events.push(event);
          return { ok: true as const, result: answer(event), requestId: 'x' };
        },
      }),
    } as unknown as FunctionRegistry;
    return { functions, events };
  }
  const data = (headers: Record<string, string[]>) => ({ request: request({ headers }), pathParameters: {}, context: { routeKey: 'POST /submit' } });

  it('answers 401 without invoking the function when an identity source is missing', async () => {
    const { functions, events } = registry(() => ({ isAuthorized: true }));
    const runner = new AuthorizerRunner(authorizer, functions, 'arn:route');
    expect(await runner.decide(data({}))).toEqual({ kind: 'unauthorized', cached: false });
    expect(events).toHaveLength(0);
  });

  it('sends the payload 2.0 event and reads the simple response', async () => {
    const { functions, events } = registry((e) => ({ isAuthorized: e.headers.authorization === 'Basic good', context: { user: 'u' } }));
    const runner = new AuthorizerRunner(authorizer, functions, 'arn:route');
    expect(await runner.decide(data({ authorization: ['Basic good'] }))).toEqual({ kind: 'allow', context: { user: 'u' }, cached: false });
    expect(await runner.decide(data({ authorization: ['Basic bad'] }))).toEqual({ kind: 'forbidden', cached: false });
    expect(events[0]).toMatchObject({ version: '2.0', type: 'REQUEST', routeArn: 'arn:route', identitySource: ['Basic good'], routeKey: 'POST /submit', rawPath: '/submit' });
  });

  it('caches each decision per identity for the TTL', async () => {
    const { functions, events } = registry(() => ({ isAuthorized: true }));
    const runner = new AuthorizerRunner(authorizer, functions, 'arn:route');
    await runner.decide(data({ authorization: ['Basic one'] }));
    expect(await runner.decide(data({ authorization: ['Basic one'] }))).toMatchObject({ kind: 'allow', cached: true });
    await runner.decide(data({ authorization: ['Basic two'] }));
    expect(events).toHaveLength(2);
  });

  it('treats a failing function or a malformed answer as an error (500), and does not cache it', async () => {
    const { functions, events } = registry(() => ({ allowed: 'yes' }));
    const runner = new AuthorizerRunner(authorizer, functions, 'arn:route');
    expect((await runner.decide(data({ authorization: ['Basic one'] }))).kind).toBe('error');
    expect((await runner.decide(data({ authorization: ['Basic one'] }))).kind).toBe('error');
    expect(events).toHaveLength(2);
  });
});
