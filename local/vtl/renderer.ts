/**
 * Renderer for API Gateway (REST, non-proxy) mapping templates: the local data plane renders every
 * deployed template with it (`npm run serve:local`), and the template tests use it too.
 *
 * Velocity parsing and evaluation come from `velocityjs`; this module adds what API Gateway puts
 * around it ($input, $util, $context, $stageVariables) and corrects the places where velocityjs
 * differs from the Java Velocity 1.7 engine API Gateway runs, so a template that renders (and
 * JSON-parses) here behaves the same when deployed.
 *
 * Behaviour reproduced on purpose. Sources: the AWS "mapping template and access logging variable
 * reference" ($input/$util/$stageVariables, the escapeJavaScript quote caveat), Apache Velocity 1.7,
 * commons-lang StringEscapeUtils, Jayway JsonPath with json-smart; the null-prints-empty, missing-path
 * and empty-body rules are not in the AWS docs and follow behaviour observed on AWS and reported by
 * emulator projects (LocalStack), not re-verified here (no AWS account on this machine).
 * - A reference that resolves to null renders as an EMPTY string, quiet (`$!x`) or not. Plain Velocity
 *   would print the reference text (`$x`); API Gateway prints nothing (a missing
 *   `$context.authorizer.principalId` or `$input.path('$.nope')` becomes ""), and that is what matters
 *   for the JSON a template produces.
 * - `#if` / `!` / `&&` / `||` use Velocity 1.7 truthiness: only null and `false` are false; `""` and
 *   `0` are TRUE (velocityjs uses JavaScript truthiness). Test for empty strings explicitly:
 *   `#if("$!x" != "")`.
 * - `#set($a = <null>)` leaves `$a` unchanged (Velocity 1.7 default), the classic stale-value trap
 *   inside `#foreach`.
 * - `#foreach` iterates lists and map VALUES, exposes `$foreach.hasNext/index/count/first/last`,
 *   `$velocityHasNext` and `$velocityCount` (1-based).
 * - `$input.json(p)`: compact JSON of the selection; a path that selects nothing gives `""` (two quote
 *   characters, i.e. a JSON empty string), not `null` — API Gateway returns an empty string for a
 *   missing path, so `"k": $input.json('$.missing')` still parses.
 * - `$input.path(p)`: the selected value as a VTL object (map, list, string, number, boolean) or null
 *   when nothing is selected. Maps print like java.util.LinkedHashMap (`{a=1, b=x}`), JSON arrays print
 *   as compact JSON (json-smart JSONArray), lists built in VTL print like java.util.ArrayList
 *   (`[a, b]`).
 * - An empty (or absent) body is treated as `{}` by `$input.body`, `$input.json` and `$input.path`.
 * - A body that is not JSON makes `$input.json`/`$input.path` throw `VtlInputError`; for a request
 *   template API Gateway answers 400 "Could not parse request body into json" in that case, for a
 *   response template 500. `$input.body` alone never parses.
 * - `$input.params(name)`: path, then querystring, then header (header names case-insensitive); "" if
 *   absent. `$input.params()` is a map with `path`, `querystring`, `header` maps.
 * - `$util.escapeJavaScript`: commons-lang escapeJavaScript exactly: `'`→`\'` (invalid JSON, as on
 *   AWS), `"`→`\"`, `\`→`\\`, `/`→`\/`, \b \f \n \r \t, other control characters and every UTF-16
 *   code unit above 0x7F as `\uXXXX` (upper-case hex; DEL 0x7F itself passes through unchanged, like
 *   Java). `$util.urlEncode`/`urlDecode` follow java.net.URLEncoder/URLDecoder (UTF-8, space ↔ `+`,
 *   only `A-Za-z0-9.-*_` unencoded). `$util.base64Encode`/`base64Decode` use UTF-8.
 * - Java string methods (`length()`, `replace` = replace ALL literal occurrences, `replaceAll`/
 *   `replaceFirst`/`matches`/`split` with regular expressions and Java `$1` replacement syntax, ...),
 *   list methods (`size()`, `isEmpty()`, `get(i)`, `add(x)` returning true, ...) and map methods
 *   (`keySet()`, `get(k)`, `containsKey(k)`, `put(k, v)` returning the previous value, ...).
 * - Integer `/` and `%` truncate like Java int arithmetic.
 *
 * Known deviations (keep templates away from these, or verify on AWS):
 * - Whitespace: line gobbling around directives follows velocityjs, not Velocity 1.7 exactly. Compare
 *   parsed JSON, never raw text.
 * - Numbers from the payload keep their source text (`12345678901234567890`, `0.10000000000000000001`,
 *   `1.0`, `-0` reach the integration as sent; see lossless-json.ts); such a number is a JsonNumber in
 *   VTL, which compares with `<`/`>` by value but is not `==` to a VTL literal. Numbers computed in VTL
 *   are JavaScript doubles; decimal literals in VTL (`2.0`) print without `.0`.
 * - `$input.json` output uses JSON.stringify string escaping; API Gateway's serializer may escape more
 *   (json-smart writes `/` as `\/`), the parsed value is identical.
 * - Regular expressions are JavaScript RegExp; Java-only syntax (possessive quantifiers, `\p{javaX}`,
 *   inline flags other than what JS supports) is not translated.
 * - JSONPath is the definite subset: `$`, `$.a.b`, `$['a']`, `$["a"]`, `$.a[0]`, `$.a[-1]`,
 *   `$.a.b[2].c`. Wildcards, `..`, slices and filters throw instead of guessing.
 * - `"a" + "b"` concatenates (Velocity 1.7 yields null); use `"${a}${b}"` in real templates anyway.
 * - Velocity 1.7 prints an unresolvable method call (`$x.noSuchMethod()`) literally; here it is "".
 * - `\$x` always prints `$x`; Velocity 1.7 keeps the backslash when `$x` is undefined.
 * - `$util.base64Decode` is lenient about malformed input (Node's decoder) where Java would fail.
 */
import { Compile, parse } from 'velocityjs';
import { JsonArray, JsonNumber, parseLosslessJson, stringifyLosslessJson } from './lossless-json';

type VelocityAst = NonNullable<Parameters<Compile['renderAstList']>[0]>[number];

/** The request a test sends through the method; every part is optional. */
export interface VtlRequest {
  body?: string; // raw request body text ($input.body)
  headers?: Record<string, string>; // case-insensitive lookup like API Gateway
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  context?: Record<string, unknown>; // deep-merged over the default $context
}

/** Thrown where API Gateway would reject the call instead of rendering (non-JSON payload). */
export class VtlInputError extends Error {
  constructor(
    message: string,
    /** The status API Gateway answers with in this situation. */
    readonly statusCode: number,
  ) {
    super(message);
    this.name = 'VtlInputError';
  }
}

export { JsonArray, JsonNumber };

const FIXED_EPOCH_MS = Date.UTC(2026, 0, 15, 9, 30, 0);

/** The default $context: fixed, realistic values so rendered output is deterministic. */
export function defaultContext(): Record<string, unknown> {
  const apiId = 'a1b2c3d4e5';
  return {
    accountId: '123456789012',
    apiId,
    authorizer: {},
    awsEndpointRequestId: '3f6f9e4c-8c1b-4d2a-9a77-0d5b1c2e3f40',
    domainName: `${apiId}.execute-api.us-east-1.amazonaws.com`,
    domainPrefix: apiId,
    extendedRequestId: 'Xk3ZbGJvoAMEb2Q=',
    httpMethod: 'POST',
    identity: {
      accountId: null,
      apiKey: 'tEsTaPiKeY0123456789abcdefghijKLMNOPqrst',
      apiKeyId: 'k9x8w7v6u5',
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '198.51.100.23',
      user: null,
      userAgent: 'curl/8.5.0',
      userArn: null,
    },
    path: '/test/items',
    protocol: 'HTTP/1.1',
    requestId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    requestOverride: { header: {}, path: {}, querystring: {} },
    requestTime: '15/Jan/2026:09:30:00 +0000',
    requestTimeEpoch: FIXED_EPOCH_MS,
    resourceId: 'r4nd0m',
    resourcePath: '/items',
    responseOverride: { header: {} },
    stage: 'test',
    xrayTraceId: 'Root=1-6968b3a8-0123456789abcdef01234567',
  };
}

/** Renders an integration REQUEST template the way API Gateway does. */
export function renderRequestTemplate(template: string, request: VtlRequest = {}): string {
  return renderMappingTemplate(template, { ...request, kind: 'request' }).output;
}

/** Renders an integration RESPONSE template: $input is the integration's response body. */
export function renderResponseTemplate(
  template: string,
  integrationResponseBody: string,
  context?: Record<string, unknown>,
): string {
  return renderMappingTemplate(template, { body: integrationResponseBody, context, kind: 'response' }).output;
}

export interface MappingTemplateInput extends VtlRequest {
  /** Decides only the status of VtlInputError for a non-JSON payload (400 request / 500 response). */
  kind?: 'request' | 'response';
}

export interface MappingTemplateResult {
  output: string;
  /** $context after rendering, e.g. `requestOverride` / `responseOverride` set by the template. */
  context: Record<string, unknown>;
}

/** Like renderRequestTemplate/renderResponseTemplate, but also returns $context after rendering. */
export function renderMappingTemplate(template: string, input: MappingTemplateInput): MappingTemplateResult {
  const context = deepMerge(defaultContext(), input.context ?? {});
  const vars: Record<string, unknown> = {
    input: new InputVariable(input),
    util: createUtil(),
    context,
    stageVariables: { ...(input.stageVariables ?? {}) },
  };
  const output = new ApiGatewayVelocity(parsed(template), {
    customMethodHandlers: JAVA_METHODS,
    valueMapper: skipNullAssignment,
  }).render(vars);
  return { output, context };
}

// Parsing is most of a render's cost; the data plane renders the same deployed templates over and over.
const PARSE_CACHE_LIMIT = 500;
const parseCache = new Map<string, ReturnType<typeof parse>>();

function parsed(template: string): ReturnType<typeof parse> {
  let ast = parseCache.get(template);
  if (!ast) {
    ast = parse(template);
    if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.delete(parseCache.keys().next().value as string);
    parseCache.set(template, ast);
  }
  return ast;
}

// ---------------------------------------------------------------------------------------------
// $input

class InputVariable {
  readonly body: string;
  private readonly allParams: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };

  constructor(private readonly source: MappingTemplateInput) {
    this.body = source.body === undefined || source.body === '' ? '{}' : source.body;
    this.allParams = {
      path: { ...(source.pathParameters ?? {}) },
      querystring: { ...(source.queryStringParameters ?? {}) },
      header: caseInsensitive({ ...(source.headers ?? {}) }),
    };
  }

  json(path: unknown): string {
    const hit = selectJsonPath(this.payload(), String(path ?? '$'));
    return hit.found ? stringifyLosslessJson(hit.value) : '""';
  }

  path(path: unknown): unknown {
    const hit = selectJsonPath(this.payload(), String(path ?? '$'));
    return hit.found ? hit.value : undefined;
  }

  params(name?: unknown): unknown {
    if (name === undefined) return this.allParams;
    const key = String(name);
    for (const map of [this.allParams.path, this.allParams.querystring, this.allParams.header]) {
      if (Object.prototype.hasOwnProperty.call(map, key)) return map[key];
    }
    return '';
  }

  toString(): string {
    return '$input';
  }

  /** Parsed afresh on every call, as JsonPath reads the payload text: edits to one result never leak into the next. */
  private payload(): unknown {
    try {
      return parseJsonModel(this.body);
    } catch (e) {
      const response = this.source.kind === 'response';
      const what = response ? 'integration response' : 'request';
      throw new VtlInputError(`Could not parse ${what} body into json: ${(e as Error).message} `, response ? 500 : 400);
    }
  }
}

/** Header names are case-insensitive in HTTP and in API Gateway's parameter lookup. */
function caseInsensitive(map: Record<string, string>): Record<string, string> {
  const find = (key: string | symbol): string | symbol => {
    if (typeof key !== 'string' || Object.prototype.hasOwnProperty.call(map, key)) return key;
    return Object.keys(map).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
  };
  return new Proxy(map, {
    get: (target, key) => Reflect.get(target, find(key)),
    has: (target, key) => Reflect.has(target, find(key)),
    getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(target, find(key)),
  });
}

/** JSON text → VTL object model: objects stay plain objects (maps), arrays become JsonArray, numbers keep their text (lossless-json.ts). */
export function parseJsonModel(text: string): unknown {
  return parseLosslessJson(text);
}

/** Evaluates the definite JSONPath subset API Gateway templates use. */
export function selectJsonPath(root: unknown, path: string): { found: boolean; value?: unknown } {
  let current = root;
  for (const step of jsonPathSteps(path)) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return { found: false };
      const index = step < 0 ? current.length + step : step;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else {
      if (!isMap(current) || !Object.prototype.hasOwnProperty.call(current, step)) return { found: false };
      current = current[step];
    }
  }
  return { found: true, value: current };
}

function jsonPathSteps(path: string): (string | number)[] {
  let rest = path.trim();
  // Jayway treats a path without the root marker as relative to the root.
  if (rest.startsWith('$')) rest = rest.slice(1);
  else rest = `.${rest}`;
  const steps: (string | number)[] = [];
  const token = /^(?:\.([^.[\]*'"]+)|\[\s*(-?\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\])/;
  while (rest.length > 0) {
    const m = token.exec(rest);
    if (!m) {
      throw new Error(`JSONPath "${path}" is outside the supported subset ($, .name, ['name'], [index]) at "${rest}"`);
    }
    if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[1] ?? m[3] ?? m[4]) as string);
    rest = rest.slice(m[0].length);
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// $util

/** commons-lang StringEscapeUtils.escapeJavaScript. */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (code > 0x7f || (code < 0x20 && !SHORT_ESCAPES[ch])) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else {
      out += SHORT_ESCAPES[ch] ?? ch;
    }
  }
  return out;
}

const SHORT_ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** java.net.URLEncoder.encode(s, "UTF-8"). */
export function urlEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** java.net.URLDecoder.decode(s, "UTF-8"): `+` is a space, %XX sequences are UTF-8 bytes. */
export function urlDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`URLDecoder: Illegal hex characters in escape (%) pattern: "${hex}"`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch === '+' ? ' ' : ch, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A fresh $util per render: velocityjs attaches helpers to objects whose methods it calls. */
function createUtil(): Record<string, unknown> {
  return {
  escapeJavaScript: (value: unknown): string | undefined => (isNull(value) ? undefined : escapeJavaScript(toVtlString(value))),
  base64Encode: (value: unknown): string | undefined =>
    isNull(value) ? undefined : Buffer.from(toVtlString(value), 'utf8').toString('base64'),
  base64Decode: (value: unknown): string | undefined =>
    isNull(value) ? undefined : Buffer.from(toVtlString(value), 'base64').toString('utf8'),
  urlEncode: (value: unknown): string | undefined => (isNull(value) ? undefined : urlEncode(toVtlString(value))),
  urlDecode: (value: unknown): string | undefined => (isNull(value) ? undefined : urlDecode(toVtlString(value))),
  parseJson: (value: unknown): unknown => parseJsonModel(toVtlString(value)),
  toString: () => '$util',
  };
}

// ---------------------------------------------------------------------------------------------
// Printing values the way Java's toString() does

function isNull(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What a reference prints as: null → "" (API Gateway), everything else via Java toString(). */
function renderValue(value: unknown): string {
  return isNull(value) ? '' : toVtlString(value);
}

/** Java String.valueOf(value) for the value types a template can hold. */
export function toVtlString(value: unknown): string {
  if (isNull(value)) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return javaNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof JsonNumber) return value.text;
  if (value instanceof JsonArray) return stringifyLosslessJson(value);
  if (Array.isArray(value)) return `[${value.map(toVtlString).join(', ')}]`;
  if (isMap(value)) {
    return `{${Object.keys(value)
      .map((k) => `${k}=${toVtlString(value[k])}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Integers print like Integer/Long, other numbers like Double.toString. */
function javaNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

// ---------------------------------------------------------------------------------------------
// Java methods on strings, lists and maps (velocityjs only knows a few, some with JS semantics)

type MethodCall = { property: string; context: unknown; params: unknown[] };
type JavaMethod = (self: never, ...args: never[]) => unknown;

const STRING_METHODS: Record<string, (s: string, ...a: never[]) => unknown> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  contains: (s, x: unknown) => s.includes(toVtlString(x)),
  startsWith: (s, x: unknown, from?: number) => s.startsWith(toVtlString(x), from),
  endsWith: (s, x: unknown) => s.endsWith(toVtlString(x)),
  indexOf: (s, x: unknown, from?: number) => s.indexOf(toVtlString(x), from),
  lastIndexOf: (s, x: unknown) => s.lastIndexOf(toVtlString(x)),
  charAt: (s, i: number) => s.charAt(i),
  substring: (s, begin: number, end?: number) => {
    if (begin < 0 || (end ?? s.length) > s.length || begin > (end ?? s.length)) {
      throw new Error(`String index out of range: substring(${begin}, ${end ?? ''}) of length ${s.length}`);
    }
    return s.substring(begin, end);
  },
  concat: (s, x: unknown) => s + toVtlString(x),
  equals: (s, x: unknown) => s === x,
  equalsIgnoreCase: (s, x: unknown) => typeof x === 'string' && s.toLowerCase() === x.toLowerCase(),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  toString: (s: string) => s,
  // Java trims every char <= U+0020, nothing else.
  trim: (s) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ''),
  replace: (s, target: unknown, replacement: unknown) => s.split(toVtlString(target)).join(toVtlString(replacement)),
  replaceAll: (s, regex: unknown, replacement: unknown) =>
    s.replace(javaRegex(regex, 'g'), javaReplacement(toVtlString(replacement))),
  replaceFirst: (s, regex: unknown, replacement: unknown) =>
    s.replace(javaRegex(regex, ''), javaReplacement(toVtlString(replacement))),
  matches: (s, regex: unknown) => new RegExp(`^(?:${toVtlString(regex)})$`).test(s),
  split: (s, regex: unknown, limit?: number) => javaSplit(s, toVtlString(regex), limit ?? 0),
};

const LIST_METHODS: Record<string, (l: unknown[], ...a: never[]) => unknown> = {
  size: (l) => l.length,
  isEmpty: (l) => l.length === 0,
  get: (l, i: number) => {
    if (i < 0 || i >= l.length) throw new Error(`Index ${i} out of bounds for length ${l.length}`);
    return l[i];
  },
  contains: (l, x: unknown) => l.some((item) => item === x),
  indexOf: (l, x: unknown) => l.indexOf(x),
  add: (l, x: unknown) => {
    l.push(x);
    return true;
  },
  addAll: (l, xs: unknown) => {
    if (Array.isArray(xs)) l.push(...xs);
    return true;
  },
  set: (l, i: number, x: unknown) => {
    const previous = l[i];
    l[i] = x;
    return previous;
  },
  toString: (l: unknown[]) => toVtlString(l),
};

const MAP_METHODS: Record<string, (m: Record<string, unknown>, ...a: never[]) => unknown> = {
  size: (m) => Object.keys(m).length,
  isEmpty: (m) => Object.keys(m).length === 0,
  get: (m, k: unknown) => (Object.prototype.hasOwnProperty.call(m, String(k)) ? m[String(k)] : undefined),
  containsKey: (m, k: unknown) => Object.prototype.hasOwnProperty.call(m, String(k)),
  containsValue: (m, v: unknown) => Object.values(m).some((x) => x === v),
  keySet: (m) => Object.keys(m),
  values: (m) => Object.values(m),
  entrySet: (m) => Object.keys(m).map((key) => ({ key, value: m[key] })),
  put: (m, k: unknown, v: unknown) => {
    const previous = m[String(k)];
    m[String(k)] = v;
    return previous;
  },
  putAll: (m, other: unknown) => {
    if (isMap(other)) Object.assign(m, other);
    return undefined;
  },
  remove: (m, k: unknown) => {
    const previous = m[String(k)];
    delete m[String(k)];
    return previous;
  },
  toString: (m: Record<string, unknown>) => toVtlString(m),
};

function methodFor(call: MethodCall): JavaMethod | undefined {
  const { context, property } = call;
  let table: Record<string, JavaMethod> | undefined;
  if (typeof context === 'string') table = STRING_METHODS as Record<string, JavaMethod>;
  else if (Array.isArray(context)) table = LIST_METHODS as Record<string, JavaMethod>;
  else if (isMap(context)) table = MAP_METHODS as Record<string, JavaMethod>;
  return table && Object.prototype.hasOwnProperty.call(table, property) ? table[property] : undefined;
}

const JAVA_METHODS = [
  {
    uid: 'api-gateway: java methods',
    match: (call: MethodCall) => methodFor(call) !== undefined,
    resolve: (call: MethodCall) => {
      const method = methodFor(call) as (self: unknown, ...args: unknown[]) => unknown;
      return method(call.context, ...call.params);
    },
  },
];

function javaRegex(regex: unknown, flags: string): RegExp {
  return new RegExp(toVtlString(regex), flags);
}

/** Java Matcher replacement syntax: `$n` is a group, `\x` is a literal x. */
function javaReplacement(replacement: string): (match: string, ...groups: unknown[]) => string {
  return (match, ...rest) => {
    const groups = rest.slice(0, rest.findIndex((r) => typeof r === 'number'));
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const ch = replacement[i];
      if (ch === '\\' && i + 1 < replacement.length) {
        out += replacement[++i];
      } else if (ch === '$' && /\d/.test(replacement[i + 1] ?? '')) {
        const n = Number(replacement[++i]);
        if (n > groups.length) throw new Error(`No group ${n}`);
        out += n === 0 ? match : ((groups[n - 1] as string | undefined) ?? '');
      } else {
        out += ch;
      }
    }
    return out;
  };
}

/** String.split(regex, limit): limit 0 drops trailing empty strings; no leading "" for a zero-width match. */
function javaSplit(s: string, regex: string, limit: number): string[] {
  const parts: string[] = [];
  let last = 0;
  for (const m of s.matchAll(new RegExp(regex, 'g'))) {
    const index = m.index ?? 0;
    if (m[0].length === 0 && (index === 0 || index >= s.length)) continue;
    if (limit > 0 && parts.length === limit - 1) break;
    parts.push(s.slice(last, index));
    last = index + m[0].length;
  }
  if (parts.length === 0) return [s];
  parts.push(s.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

// ---------------------------------------------------------------------------------------------
// The engine: velocityjs with Velocity 1.7 semantics where it differs

const NULL_ASSIGNMENT = Symbol('null assignment');

/** Velocity 1.7 does not assign null: abort the #set (caught in ApiGatewayVelocity.setValue). */
function skipNullAssignment(value: unknown): unknown {
  if (isNull(value)) throw NULL_ASSIGNMENT;
  return value;
}

function truthy(value: unknown): boolean {
  return !isNull(value) && value !== false;
}

type AnyAst = { type?: string; [key: string]: unknown };

let loopIds = 0;

class ApiGatewayVelocity extends Compile {
  protected override getReferences(ast: VelocityAst, isVal?: boolean): string {
    const value = super.getReferences(ast, false) as unknown;
    return (isVal ? renderValue(value) : value) as string;
  }

  protected override setValue(ast: VelocityAst): void {
    try {
      (super.setValue as (this: Compile, a: VelocityAst) => void).call(this, ast);
    } catch (e) {
      if (e !== NULL_ASSIGNMENT) throw e;
    }
  }

  protected override getExpression(ast: VelocityAst): string {
    const node = ast as unknown as AnyAst;
    if (node.type === 'math') {
      const [left, right] = node.expression as VelocityAst[];
      const value = (a: VelocityAst) => this.getExpression(a) as unknown;
      switch (node.operator) {
        case 'not':
          return !truthy(value(left)) as unknown as string;
        case '&&':
          return (truthy(value(left)) && truthy(value(right))) as unknown as string;
        case '||':
          return (truthy(value(left)) || truthy(value(right))) as unknown as string;
        case '/':
        case '%': {
          const a = value(left);
          const b = value(right);
          if (Number.isInteger(a) && Number.isInteger(b)) {
            if (b === 0) return undefined as unknown as string; // Velocity logs and yields null
            const r = node.operator === '/' ? Math.trunc((a as number) / (b as number)) : (a as number) % (b as number);
            return r as unknown as string;
          }
          break;
        }
        default:
          break;
      }
    }
    return super.getExpression(ast);
  }

  /** velocityjs only honours #break between loop iterations; Velocity stops at the #break itself. */
  override renderAstList(asts?: VelocityAst[], contextId?: string): string {
    let out = '';
    for (const ast of asts ?? this.asts) {
      if (this.runState.break || this.runState.stop) break;
      out += super.renderAstList([ast], contextId);
    }
    return out;
  }

  protected override getBlock(block: VelocityAst[]): string {
    const head = block[0] as unknown as AnyAst;
    if (head.type === 'if') return this.renderIf(block);
    if (head.type === 'foreach') return this.renderForeach(block);
    return super.getBlock(block);
  }

  private renderIf(block: VelocityAst[]): string {
    const chosen: VelocityAst[] = [];
    let taking = false;
    for (const item of block) {
      const node = item as unknown as AnyAst;
      const isBranch = node.type === 'if' || node.type === 'elseif' || node.type === 'else';
      if (!isBranch) {
        if (taking) chosen.push(item);
        continue;
      }
      if (taking) break;
      taking = node.type === 'else' ? true : truthy(this.getExpression(node.condition as VelocityAst));
    }
    return this.renderAstList(chosen, this.contextId);
  }

  private renderForeach(block: VelocityAst[]): string {
    const head = block[0] as unknown as AnyAst & { from: AnyAst; to: string };
    const source = this.getLiteral({ ...head.from, pos: head.pos } as unknown as VelocityAst) as unknown;
    let items: unknown[];
    if (Array.isArray(source)) items = [...source];
    else if (isMap(source)) items = Object.values(source);
    else return '';

    const body = block.slice(1);
    const loopId = `foreach:api-gateway:${loopIds++}`;
    const outerContextId = this.contextId;
    const locals = this.local as Record<string, Record<string, unknown>>;
    let out = '';
    try {
      for (let i = 0; i < items.length; i++) {
        const hasNext = i + 1 < items.length;
        locals[loopId] = {
          [head.to]: items[i],
          foreach: { index: i, count: i + 1, hasNext, first: i === 0, last: !hasNext },
          velocityCount: i + 1,
          velocityHasNext: hasNext,
        };
        out += this.renderAstList(body, loopId);
        if (this.runState.break) break;
      }
    } finally {
      this.runState.break = false;
      delete locals[loopId];
      const at = this.conditions.indexOf(loopId);
      if (at !== -1) this.conditions.splice(at, 1);
      this.contextId = outerContextId;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------

function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = isMap(value) && isMap(out[key]) ? deepMerge(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}
