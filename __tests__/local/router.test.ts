import { matchRoute } from '../../local/rest/router';
import { RestResource } from '../../local/rest/definition';

// AWS: "Set up a method request in API Gateway" / resource matching and ANY
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#setup-method-resources
const method = (name: string) => ({ httpMethod: name });
const resources: RestResource[] = [
  { id: 'root', path: '/', methods: {} },
  { id: 'c', path: '/customers', methods: { POST: method('POST'), ANY: method('ANY') } },
  { id: 'cid', path: '/customers/{customerId}', methods: { GET: method('GET'), ANY: method('ANY') } },
  { id: 'me', path: '/customers/me', methods: { GET: method('GET') } },
  { id: 'files', path: '/files/{proxy+}', methods: { GET: method('GET') } },
];

describe('REST resource and method matching (API Gateway method request docs)', () => {
  it('matches {param} parts and decodes their values', () => {
    const m = matchRoute(resources, 'GET', '/customers/abc%20d');
    expect(m?.resource.id).toBe('cid');
    expect(m?.pathParameters).toEqual({ customerId: 'abc d' });
  });

  it('prefers a literal part over a {param} part', () => {
    expect(matchRoute(resources, 'GET', '/customers/me')?.resource.id).toBe('me');
  });

  it('prefers the exact method over ANY, and falls back to ANY', () => {
    expect(matchRoute(resources, 'POST', '/customers')?.method.httpMethod).toBe('POST');
    expect(matchRoute(resources, 'DELETE', '/customers')?.method.httpMethod).toBe('ANY');
  });

  it('matches a greedy {proxy+} across several parts', () => {
    expect(matchRoute(resources, 'GET', '/files/a/b/c')?.pathParameters).toEqual({ proxy: 'a/b/c' });
  });

  it('finds nothing for an unknown path or a method the resource lacks (Missing Authentication Token)', () => {
    expect(matchRoute(resources, 'GET', '/nothing')).toBeUndefined();
    expect(matchRoute(resources, 'DELETE', '/customers/me')).toBeUndefined();
    expect(matchRoute(resources, 'GET', '/')).toBeUndefined();
  });
});
