import { newRequestContext } from '../../local/rest/request-context';

// $context.extendedRequestId and $context.xrayTraceId: one per request
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
// X-Ray trace id: Root=1-<8 hex digits of epoch seconds>-<24 hex digits>
// https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids
describe('request context ids', () => {
  const input = { accountId: '123456789012', apiId: 'a', stage: 'v1', httpMethod: 'GET', path: '/health', host: '127.0.0.1:4010', sourceIp: '127.0.0.1' };

  it('are new for every request, across many requests, in their documented shapes', () => {
    const contexts = Array.from({ length: 1000 }, () => newRequestContext(input));
    for (const key of ['requestId', 'extendedRequestId', 'xrayTraceId'] as const) {
      expect(new Set(contexts.map((c) => c[key])).size).toBe(contexts.length);
    }
    for (const c of contexts) {
      expect(c.extendedRequestId).toMatch(/^[A-Za-z0-9+/]{16}$/);
      expect(c.xrayTraceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    }
  });
});
