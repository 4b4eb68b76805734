import * as crypto from 'crypto';

/**
 * Signature Version 4, for both directions: signing the service calls the gateway makes as an
 * integration's role, and verifying the signature of a request to an `AWS_IAM` method.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignableRequest {
  readonly method: string;
  /** URL-encoded path as sent on the wire. */
  readonly path: string;
  readonly rawQuery: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const hmac = (key: Buffer | string, data: string): Buffer => crypto.createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: Buffer | string): string => crypto.createHash('sha256').update(data).digest('hex');

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      const key = decodeQueryPart(at < 0 ? pair : pair.slice(0, at));
      const value = at < 0 ? '' : decodeQueryPart(pair.slice(at + 1));
      return [uriEncode(key), uriEncode(value)] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, '%20'));
  } catch {
    return part;
  }
}

/** Non-S3 services encode each path segment twice: once on the wire, once more here. */
function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/') || '/';
}

function canonicalRequest(request: SignableRequest, signedHeaders: readonly string[], payloadHash: string): string {
  const headers = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  return [request.method.toUpperCase(), canonicalPath(request.path), canonicalQuery(request.rawQuery), headers, signedHeaders.join(';'), payloadHash].join('\n');
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The hex signature of `request` over `signedHeaders` (exported for the documentation's worked example). */
export function signature(request: SignableRequest, signedHeaders: readonly string[], amzDate: string, scope: string, secret: string, payloadHash: string): string {
  const [date, region, service] = scope.split('/');
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest(request, signedHeaders, payloadHash))].join('\n');
  return crypto.createHmac('sha256', signingKey(secret, date, region, service)).update(stringToSign, 'utf8').digest('hex');
}

/** Headers (lower-case) to add to `request` so that it is signed for `service` in `region`. */
export function signHeaders(request: SignableRequest, credentials: Credentials, region: string, service: string, now = new Date()): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const payloadHash = sha256Hex(request.body);
  const added: Record<string, string> = { 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
  const headers = { ...request.headers, ...added };
  const signedHeaders = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const sig = signature({ ...request, headers }, signedHeaders, amzDate, scope, credentials.secretAccessKey, payloadHash);
  return { ...added, authorization: `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${sig}` };
}

/** A credential the verifier can check a signature against. */
export interface KnownCredential {
  readonly secretAccessKey: string;
  /** Set for temporary credentials (STS): the request must carry exactly this token. */
  readonly sessionToken?: string;
}

export type VerifyOutcome =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'unknown-key' | 'invalid-token' | 'expired' | 'mismatch'; readonly message: string };

/** Where the signature is checked: API Gateway accepts only its own region and service in the scope. */
export interface SigningScope {
  readonly service: string;
  readonly region: string;
}

// API Gateway refuses a signature dated more than 15 minutes from its clock.
const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

// Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request, wherever it stands in the header.
const CREDENTIAL_SCOPE = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * The credential scope an Authorization header names, read without verifying anything: for
 * routing a request by the service it was signed for, or finding who claims to have signed it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-request.html
 */
export function credentialScopeOf(authorization: string | undefined): { accessKeyId: string; date: string; region: string; service: string } | undefined {
  const match = CREDENTIAL_SCOPE.exec(authorization ?? '');
  return match ? { accessKeyId: match[1], date: match[2], region: match[3], service: match[4] } : undefined;
}

/** The access key id an Authorization header claims, to look its credential up before verifying. */
export function claimedAccessKeyId(authorization: string | undefined): string | undefined {
  return authorization ? AUTHORIZATION.exec(authorization)?.[1] : undefined;
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** Verifies a SigV4 Authorization header for `scope` against the credential `lookup` finds for its access key. */
export function verifySignature(request: SignableRequest, lookup: (accessKeyId: string) => KnownCredential | undefined, scope: SigningScope, now = Date.now()): VerifyOutcome {
  const authorization = request.headers.authorization;
  if (!authorization) return { ok: false, reason: 'missing', message: 'Missing Authentication Token' };
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    return { ok: false, reason: 'malformed', message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256).` };
  }
  const [, accessKeyId, credentialScope, signedList, given] = match;
  const credential = lookup(accessKeyId);
  if (credential === undefined) return { ok: false, reason: 'unknown-key', message: INVALID_TOKEN };
  // Temporary credentials are valid only with the session token STS issued with them, and a
  // long-term key with none. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
  if ((request.headers['x-amz-security-token'] ?? undefined) !== credential.sessionToken) return { ok: false, reason: 'invalid-token', message: INVALID_TOKEN };
  const amzDate = request.headers['x-amz-date'] ?? '';
  const parsed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!parsed) return { ok: false, reason: 'malformed', message: 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.' };
  const at = Date.UTC(+parsed[1], +parsed[2] - 1, +parsed[3], +parsed[4], +parsed[5], +parsed[6]);
  if (Math.abs(now - at) > MAX_SKEW_MS) return { ok: false, reason: 'expired', message: 'Signature expired: the request is dated more than 15 minutes from now.' };
  const [date, region, service, terminator] = credentialScope.split('/');
  if (date !== amzDate.slice(0, 8) || terminator !== 'aws4_request') {
    return { ok: false, reason: 'mismatch', message: 'Credential should be scoped to a valid date.' };
  }
  if (region !== scope.region) return { ok: false, reason: 'mismatch', message: `Credential should be scoped to a valid region, not '${region}'. ` };
  if (service !== scope.service) return { ok: false, reason: 'mismatch', message: `Credential should be scoped to correct service: '${scope.service}'. ` };
  // SigV4 signs the host header always ("The host header must be included as a signed header"):
  // a signature without it could be replayed against another host.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
  const signedHeaders = signedList.split(';');
  if (!signedHeaders.includes('host')) {
    return { ok: false, reason: 'mismatch', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };
  }
  // The payload is hashed from the body received; a client's x-amz-content-sha256 claim is not trusted.
  const payloadHash = sha256Hex(request.body);
  const expected = signature(request, signedHeaders, amzDate, credentialScope, credential.secretAccessKey, payloadHash);
  if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
    return {
      ok: false,
      reason: 'mismatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { ok: true, accessKeyId };
}
