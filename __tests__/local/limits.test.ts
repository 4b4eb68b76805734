import { MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES, MAX_URL_CHARACTERS, requestLineAndHeaderValuesBytes, requestQuotaRefusal, urlLength } from '../../local/server/limits';

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
const HOST = '127.0.0.1:4010';
const head = (url: string, extra: string[] = []) => ({ method: 'GET', url, httpVersion: '1.1', rawHeaders: ['Host', HOST, ...extra] });

describe('API Gateway request quotas', () => {
  it('counts the URL as the client addressed it (scheme, host, path and query)', () => {
    expect(urlLength(head('/a/b?c=d'))).toBe(`https://${HOST}/a/b?c=d`.length);
  });

  it('passes a REST URL of exactly 10,240 characters to the next quota and refuses one more with 414', () => {
    const fill = (total: number) => `/api/v1/x?q=${'a'.repeat(total - `https://${HOST}/api/v1/x?q=`.length)}`;
    expect(urlLength(head(fill(MAX_URL_CHARACTERS)))).toBe(10_240);
    // Such a request line alone is near 10,240 bytes, so the request line and header quota refuses it.
    expect(requestQuotaRefusal(head(fill(MAX_URL_CHARACTERS)), true)?.status).toBe(431);
    const refused = requestQuotaRefusal(head(fill(MAX_URL_CHARACTERS + 1)), true);
    expect(refused).toMatchObject({ status: 414, body: JSON.stringify({ message: 'Request-URI Too Long' }) });
    // A long URL that fits both quotas is served.
    expect(requestQuotaRefusal(head(fill(10_000)), true)).toBeUndefined();
  });

  it('leaves the URL length to the header quota on HTTP APIs, which have no URL quota', () => {
    const url = `/x?q=${'a'.repeat(MAX_URL_CHARACTERS)}`;
    expect(requestQuotaRefusal(head(url), false)?.status).toBe(431);
    expect(requestQuotaRefusal({ ...head(url), rawHeaders: [] }, false)?.status).toBe(431);
  });

  it('counts the request line and header values (not names) against 10,240 bytes: at the limit served, one byte more 431', () => {
    const base = requestLineAndHeaderValuesBytes(head('/p'));
    const atLimit = head('/p', ['X-Big', 'b'.repeat(MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES - base)]);
    expect(requestLineAndHeaderValuesBytes(atLimit)).toBe(10_240);
    expect(requestQuotaRefusal(atLimit, true)).toBeUndefined();
    const over = head('/p', ['X-Big', 'b'.repeat(MAX_REQUEST_LINE_AND_HEADER_VALUES_BYTES - base + 1)]);
    expect(requestQuotaRefusal(over, true)).toMatchObject({ status: 431, body: JSON.stringify({ message: 'Request Header Fields Too Large' }) });
    // 11 KB spread over several headers is refused alike; multi-byte characters count as bytes.
    expect(requestQuotaRefusal(head('/p', ['A', 'x'.repeat(5632), 'B', 'y'.repeat(5632)]), false)?.status).toBe(431);
    expect(requestQuotaRefusal(head('/p', ['X-Big', 'é'.repeat(5200)]), false)?.status).toBe(431);
  });
});
