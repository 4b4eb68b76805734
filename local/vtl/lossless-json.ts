/**
 * JSON for `$input.json`/`$input.path`/`$util.parseJson` that keeps every number as it was sent.
 * API Gateway evaluates them with Jayway JsonPath over json-smart, which reads integers of any size
 * (BigInteger) and writes them back whole; JSON.parse turns 12345678901234567890 into
 * 12345678901234567000. So a number whose text a double does not reproduce exactly (a big integer,
 * a long decimal, `1.0`, `1e5`, `-0`) stays its source text (JsonNumber) and is written back as
 * that text: what the client sent is what reaches the integration, byte for byte in each number.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
 * (JSONPath for Java: https://github.com/json-path/JsonPath, json-smart: https://github.com/netplex/json-smart-v2)
 * Node 20 has neither JSON.parse's `context.source` nor JSON.rawJSON, hence this small parser.
 */

/** A JSON number kept as its source text; compares and computes as its double value. */
export class JsonNumber {
  constructor(readonly text: string) {}

  valueOf(): number {
    return Number(this.text);
  }

  toString(): string {
    return this.text;
  }
}

/** A list that came from JSON (json-smart JSONArray): prints as compact JSON, not as `[a, b]`. */
export class JsonArray extends Array<unknown> {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A string token: JSON.parse then decodes its escapes exactly.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** JSON.parse, but arrays become JsonArray and numbers a double cannot reproduce stay JsonNumber. */
export function parseLosslessJson(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} in JSON at position ${at}`);
  };
  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const token = (re: RegExp): string | undefined => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    at = re.lastIndex;
    return m[0];
  };
  const literal = (word: string, value: unknown): unknown => {
    if (!text.startsWith(word, at)) fail(`Unexpected token ${text[at]}`);
    at += word.length;
    return value;
  };
  const value = (): unknown => {
    skip();
    const ch = text[at];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return JSON.parse(token(STRING) ?? fail('Bad string')) as string;
    if (ch === 't') return literal('true', true);
    if (ch === 'f') return literal('false', false);
    if (ch === 'n') return literal('null', null);
    const n = token(NUMBER);
    if (n === undefined) return fail(ch === undefined ? 'Unexpected end' : `Unexpected token ${ch}`);
    return numberOf(n);
  };
  const object = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    at++;
    skip();
    if (text[at] === '}') return at++, out;
    for (;;) {
      skip();
      const key = JSON.parse(token(STRING) ?? fail('Expected a property name')) as string;
      skip();
      if (text[at++] !== ':') fail("Expected ':'");
      // defineProperty: a "__proto__" key is data, as with JSON.parse.
      Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
      skip();
      const next = text[at++];
      if (next === '}') return out;
      if (next !== ',') fail("Expected ',' or '}'");
    }
  };
  const array = (): JsonArray => {
    const out = new JsonArray();
    at++;
    skip();
    if (text[at] === ']') return at++, out;
    for (;;) {
      out.push(value());
      skip();
      const next = text[at++];
      if (next === ']') return out;
      if (next !== ',') fail("Expected ',' or ']'");
    }
  };
  const result = value();
  skip();
  if (at < text.length) fail(`Unexpected token ${text[at]}`);
  return result;
}

function numberOf(text: string): number | JsonNumber {
  const n = Number(text);
  return String(n) === text ? n : new JsonNumber(text);
}

/** JSON.stringify (compact) that writes a JsonNumber as its source text. */
export function stringifyLosslessJson(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : stringifyLosslessJson(v))).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(k)}:${stringifyLosslessJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}
