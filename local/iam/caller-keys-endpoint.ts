import { EmulatorTarget } from '../aws/clients';
import { credentialScopeOf } from '../aws/sigv4';
import { AwsEndpoint } from '../server/gateway-server';
import { LocalResponse } from '../server/http-types';
import { assumedRole, Caller, CallerCredentials } from './callers';

/**
 * The emulator's IAM and STS, also served at serve:local's own root: `POST /` signed for `iam` or
 * `sts` (moto itself tells services apart by the signature's credential scope, so one URL serves
 * both). Each call is forwarded to the emulator as signed and its answer returned untouched; the
 * key in an answer to CreateAccessKey or AssumeRole is remembered, so a caller signing an
 * `AWS_IAM` route with it can be verified. IAM and STS return a secret only in that answer
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html), and moto's state dump
 * is not readable on a deployment with Lambda functions (callers.ts).
 */
export interface AwsCall {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** Lower-case names, as received. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const SERVED = new Set(['iam', 'sts']);

/** `iam` or `sts` when `call` is one of theirs (Query protocol: POST / with a SigV4 credential scope naming the service). */
export function servedService(call: Pick<AwsCall, 'method' | 'url' | 'headers'>): string | undefined {
  if (call.method !== 'POST' || call.url !== '/') return undefined;
  const service = credentialScopeOf(call.headers.authorization)?.service;
  return service && SERVED.has(service) ? service : undefined;
}

/** The gateway server's hook: IAM and STS calls at its root are forwarded, anything else is left to the APIs. */
export function callerKeysEndpoint(target: EmulatorTarget, callers: CallerCredentials, accountId: string): AwsEndpoint {
  return (req, body) => {
    const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value]])));
    const call: AwsCall = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body };
    return servedService(call) ? forwardIamCall(target, call, callers, accountId) : undefined;
  };
}

export async function forwardIamCall(target: EmulatorTarget, call: AwsCall, callers: CallerCredentials, accountId: string): Promise<LocalResponse> {
  const headers = Object.fromEntries(Object.entries(call.headers).filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)));
  const response = await fetch(`${target.endpoint}/`, { method: 'POST', headers, body: call.body });
  const body = Buffer.from(await response.arrayBuffer());
  const action = new URLSearchParams(call.body.toString('utf8')).get('Action') ?? 'unknown';
  const issued = response.ok ? issuedCaller(action, call.body.toString('utf8'), body.toString('utf8'), accountId) : undefined;
  if (issued) callers.learn(issued);
  const passed = Object.fromEntries([...response.headers.entries()].filter(([name]) => !['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name)));
  return { status: response.status, headers: passed, body, integration: `emulator ${servedService(call) ?? '?'}:${action}${issued ? ` (key ${issued.accessKeyId} known to AWS_IAM routes)` : ''}` };
}

/** The caller whose key an IAM CreateAccessKey or STS AssumeRole answer (Query protocol XML) issued. */
export function issuedCaller(action: string, requestBody: string, responseXml: string, accountId: string): Caller | undefined {
  const field = (name: string) => {
    const value = new RegExp(`<${name}>([^<]*)</${name}>`).exec(responseXml)?.[1];
    return value === undefined ? undefined : unescapeXml(value);
  };
  const accessKeyId = field('AccessKeyId');
  const secretAccessKey = field('SecretAccessKey');
  if (!accessKeyId || !secretAccessKey) return undefined;
  if (action === 'CreateAccessKey') {
    const userName = field('UserName');
    if (!userName) return undefined;
    return { accessKeyId, credential: { secretAccessKey }, principal: { kind: 'user', arn: `arn:aws:iam::${accountId}:user/${userName}`, name: userName } };
  }
  if (action === 'AssumeRole') {
    const sessionArn = field('Arn');
    const roleArn = new URLSearchParams(requestBody).get('RoleArn');
    const sessionToken = field('SessionToken');
    if (!sessionArn || !roleArn || !sessionToken) return undefined;
    const expires = Date.parse(field('Expiration') ?? '');
    return { accessKeyId, credential: { secretAccessKey, sessionToken }, principal: assumedRole(sessionArn, roleArn), expires: Number.isNaN(expires) ? undefined : expires };
  }
  return undefined;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);
}
