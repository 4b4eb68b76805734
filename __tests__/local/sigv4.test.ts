import * as crypto from 'crypto';
import { credentialScopeOf, signature, signHeaders, verifySignature } from '../../local/aws/sigv4';

// AWS: "Create a signed AWS API request" (Signature Version 4) and "Control access to a REST API with IAM permissions"
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
const keys = new Map([
  ['testing', { secretAccessKey: 'testing' }],
  ['ASIATEMP', { secretAccessKey: 'temp-secret', sessionToken: 'issued-token' }],
]);
const known = (id: string) => keys.get(id);
const API = { service: 'execute-api', region: 'us-east-1' };
const base = { method: 'GET', path: '/api/v1/streams/events/sharditerator', rawQuery: 'shard-id=shardId-000000000000&iterator-type=LATEST', headers: { host: '127.0.0.1:4010' }, body: '' };

describe('SigV4 for AWS_IAM methods', () => {
  it('computes the signature of the documentation\'s worked example (GET iam ListUsers, 2015-08-30)', () => {
    // https://docs.aws.amazon.com/general/latest/gr/sigv4-create-canonical-request.html and the following steps
    const request = {
      method: 'GET',
      path: '/',
      rawQuery: 'Action=ListUsers&Version=2010-05-08',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: 'iam.amazonaws.com', 'x-amz-date': '20150830T123600Z' },
      body: '',
    };
    const emptyHash = crypto.createHash('sha256').update('').digest('hex');
    expect(signature(request, ['content-type', 'host', 'x-amz-date'], '20150830T123600Z', '20150830/us-east-1/iam/aws4_request', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', emptyHash)).toBe(
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  it('signs with x-amz-date, the payload hash and every header it was given', () => {
    const headers = signHeaders(
      { method: 'GET', path: '/', rawQuery: 'Action=ListUsers&Version=2010-05-08', headers: { host: 'iam.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: '' },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      'us-east-1',
      'iam',
      new Date(Date.UTC(2015, 7, 30, 12, 36, 0)),
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/us-east-1\/iam\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  });

  it('verifies what it signs, with the query in any order', () => {
    const signed = signHeaders(base, { accessKeyId: 'testing', secretAccessKey: 'testing' }, 'us-east-1', 'execute-api');
    expect(verifySignature({ ...base, headers: { ...base.headers, ...signed } }, known, API)).toEqual({ ok: true, accessKeyId: 'testing' });
    const reordered = { ...base, rawQuery: 'iterator-type=LATEST&shard-id=shardId-000000000000', headers: { ...base.headers, ...signed } };
    expect(verifySignature(reordered, known, API).ok).toBe(true);
  });

  it('refuses a missing, tampered, foreign, expired or wrongly scoped signature', () => {
    expect(verifySignature(base, known, API)).toMatchObject({ ok: false, reason: 'missing' });
    const signed = signHeaders(base, { accessKeyId: 'testing', secretAccessKey: 'testing' }, 'us-east-1', 'execute-api');
    expect(verifySignature({ ...base, path: '/api/v1/streams', headers: { ...base.headers, ...signed } }, known, API)).toMatchObject({ ok: false, reason: 'mismatch' });
    const wrongSecret = signHeaders(base, { accessKeyId: 'testing', secretAccessKey: 'nope' }, 'us-east-1', 'execute-api');
    expect(verifySignature({ ...base, headers: { ...base.headers, ...wrongSecret } }, known, API)).toMatchObject({ ok: false, reason: 'mismatch' });
    const stranger = signHeaders(base, { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' }, 'us-east-1', 'execute-api');
    expect(verifySignature({ ...base, headers: { ...base.headers, ...stranger } }, known, API)).toMatchObject({ ok: false, reason: 'unknown-key' });
    const old = signHeaders(base, { accessKeyId: 'testing', secretAccessKey: 'testing' }, 'us-east-1', 'execute-api', new Date(Date.now() - 20 * 60_000));
    expect(verifySignature({ ...base, headers: { ...base.headers, ...old } }, known, API)).toMatchObject({ ok: false, reason: 'expired' });
    expect(verifySignature({ ...base, headers: { ...base.headers, ...signed } }, known, { ...API, service: 's3' })).toMatchObject({ ok: false, reason: 'mismatch' });
  });
});

describe('SigV4 scope, signed headers and session tokens (AWS_IAM routes)', () => {
  const signedWith = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region = 'us-east-1') => ({
    ...base,
    headers: { ...base.headers, ...signHeaders(base, credentials, region, 'execute-api') },
  });

  it('refuses a credential scope for another region than the API\'s', () => {
    expect(verifySignature(signedWith({ accessKeyId: 'testing', secretAccessKey: 'testing' }, 'eu-west-1'), known, API)).toEqual({
      ok: false,
      reason: 'mismatch',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    });
    expect(verifySignature(signedWith({ accessKeyId: 'testing', secretAccessKey: 'testing' }), known, API).ok).toBe(true);
  });

  it('refuses a signature that does not sign host, even when it is otherwise right', () => {
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const scope = `${amzDate.slice(0, 8)}/us-east-1/execute-api/aws4_request`;
    const headers = { ...base.headers, 'x-amz-date': amzDate };
    const payloadHash = crypto.createHash('sha256').update('').digest('hex');
    const sign = (signed: string[]) => ({
      ...base,
      headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=testing/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature({ ...base, headers }, signed, amzDate, scope, 'testing', payloadHash)}` },
    });
    expect(verifySignature(sign(['x-amz-date']), known, API)).toMatchObject({ ok: false, reason: 'mismatch', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." });
    expect(verifySignature(sign(['host', 'x-amz-date']), known, API).ok).toBe(true);
  });

  it('accepts temporary credentials only with the session token issued with them, and a long-term key only without one', () => {
    expect(verifySignature(signedWith({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'issued-token' }), known, API)).toEqual({ ok: true, accessKeyId: 'ASIATEMP' });
    const invented = { ok: false, reason: 'invalid-token', message: 'The security token included in the request is invalid.' };
    expect(verifySignature(signedWith({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'invented' }), known, API)).toEqual(invented);
    expect(verifySignature(signedWith({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret' }), known, API)).toEqual(invented);
    expect(verifySignature(signedWith({ accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'invented' }), known, API)).toEqual(invented);
  });
});

describe('credentialScopeOf', () => {
  it('reads key, date, region and service from the Credential parameter, and nothing from other headers', () => {
    const header = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    expect(credentialScopeOf(header)).toEqual({ accessKeyId: 'AKIDEXAMPLE', date: '20261201', region: 'eu-west-1', service: 'sts' });
    expect(credentialScopeOf('Bearer token')).toBeUndefined();
    expect(credentialScopeOf(undefined)).toBeUndefined();
  });
});
