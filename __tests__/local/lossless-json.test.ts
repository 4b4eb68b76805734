import { JsonArray, JsonNumber, parseLosslessJson, stringifyLosslessJson } from '../../local/vtl/lossless-json';
import { renderRequestTemplate } from '../../local/vtl/renderer';

// API Gateway's $input.json/$input.path are Jayway JsonPath over json-smart, which keeps integers of
// any size and writes them back whole; the stored record must carry the exact value the client sent.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
describe('lossless JSON', () => {
  it('parses like JSON.parse where a double reproduces the text, arrays as JsonArray', () => {
    const text = '{"a":1,"b":[true,false,null,"x\\u00e9\\n"],"c":{"d":-2.5,"e":1e-7,"f":""}, "__proto__": 3}';
    const parsed = parseLosslessJson(text) as Record<string, unknown>;
    expect(parsed.b).toBeInstanceOf(JsonArray);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(JSON.parse(text)));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toContain('__proto__');
  });

  it.each([
    ['a big integer', '12345678901234567890'],
    ['a long decimal', '0.10000000000000000001'],
    ['a decimal with a trailing zero', '1.0'],
    ['an exponent', '1E+5'],
    ['negative zero', '-0'],
    ['a big negative integer', '-98765432109876543210987654321'],
  ])('keeps %s as its text (%s), inside any structure', (_what, number) => {
    const text = `{"Data":{"v":${number},"list":[${number}]}}`;
    const parsed = parseLosslessJson(text) as { Data: { v: unknown } };
    expect(parsed.Data.v).toBeInstanceOf(JsonNumber);
    expect(String(parsed.Data.v)).toBe(number);
    expect(stringifyLosslessJson(parsed)).toBe(text);
  });

  it('refuses what JSON.parse refuses', () => {
    for (const bad of ['', '{', '{"a":}', '[1,]', '01', '1.', '"\u0001"', '{"a":1}x', "{'a':1}", 'nul', '+1', '.5']) {
      expect(() => JSON.parse(bad)).toThrow(SyntaxError);
      expect(() => parseLosslessJson(bad)).toThrow(SyntaxError);
    }
  });

  it('through the renderer: $input.json and $input.path carry the numbers as sent', () => {
    const body = '{"Data":{"big":12345678901234567890,"dec":3.14159265358979323846264,"neg0":-0,"n":7},"PartitionKey":"k"}';
    expect(renderRequestTemplate("$input.json('$.Data')", { body })).toBe('{"big":12345678901234567890,"dec":3.14159265358979323846264,"neg0":-0,"n":7}');
    expect(renderRequestTemplate("$input.path('$.Data.big')", { body })).toBe('12345678901234567890');
    expect(renderRequestTemplate("$input.path('$.Data')", { body })).toBe('{big=12345678901234567890, dec=3.14159265358979323846264, neg0=-0, n=7}');
    // The PutRecord templates base64-encode the JSON text of Data: the bytes decode to the exact numbers.
    const encoded = renderRequestTemplate("$util.base64Encode($input.json('$.Data'))", { body });
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe('{"big":12345678901234567890,"dec":3.14159265358979323846264,"neg0":-0,"n":7}');
    // VTL arithmetic and ordering still see the value.
    expect(renderRequestTemplate("#if($input.path('$.Data.big') > 1000)big#end", { body })).toBe('big');
  });
});
