import { EMULATOR_CREDENTIALS, EmulatorTarget } from './clients';
import { RoleCredentials } from './role-credentials';
import { serviceLimitRefusal } from './service-limits';
import { Credentials, signHeaders } from './sigv4';

/**
 * A call of an AWS service action the way API Gateway's `AWS` integration makes it, sent to the
 * emulator and signed as the integration's role. The JSON-protocol services name the action in
 * `X-Amz-Target`; API Gateway derives it from the integration URI (`...:dynamodb:action/PutItem`).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html (uri)
 */
const JSON_PROTOCOL: Readonly<Record<string, { readonly targetPrefix: string; readonly contentType: string }>> = {
  dynamodb: { targetPrefix: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0' },
  kinesis: { targetPrefix: 'Kinesis_20131202', contentType: 'application/x-amz-json-1.1' },
  sqs: { targetPrefix: 'AmazonSQS', contentType: 'application/x-amz-json-1.0' },
  secretsmanager: { targetPrefix: 'secretsmanager', contentType: 'application/x-amz-json-1.1' },
  kms: { targetPrefix: 'TrentService', contentType: 'application/x-amz-json-1.1' },
};

export interface ServiceAction {
  readonly service: string;
  readonly action: string;
}

/** `arn:aws:apigateway:us-east-1:dynamodb:action/PutItem` -> dynamodb / PutItem; undefined for other URI forms. */
export function parseActionUri(uri: string): ServiceAction | undefined {
  const match = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:([a-z0-9-]+):action\/([A-Za-z0-9]+)$/.exec(uri);
  return match ? { service: match[1], action: match[2] } : undefined;
}

export function supportsService(service: string): boolean {
  return JSON_PROTOCOL[service] !== undefined;
}

export interface ServiceResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Checks a call before it is sent: a refusal the service (or IAM) would answer, or undefined to send it. */
export type CallCheck = (action: ServiceAction, roleArn: string, body: string) => Promise<ServiceResponse | undefined>;

/**
 * moto 5.2.1 numbers a Kinesis record as the shard's highest sequence number plus one and stores it
 * under that number (moto/kinesis/models.py Shard.put_record), without a lock, while its server
 * answers requests on many threads: two puts racing into one shard get the same number and the
 * later one overwrites the earlier, which AWS never does. The plane's writes to one stream are
 * therefore sent one at a time; found by the e2e "nothing lost" suite at concurrency 8.
 */
const SERIALIZED_WRITES: Readonly<Record<string, readonly string[]>> = { kinesis: ['PutRecord', 'PutRecords'] };

export class ServiceCaller {
  private readonly writeChains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly target: EmulatorTarget,
    private readonly roles: RoleCredentials,
    private readonly authorize: CallCheck = async () => undefined,
  ) {}

  async call(action: ServiceAction, roleArn: string, body: string, extraHeaders: Readonly<Record<string, string>> = {}): Promise<ServiceResponse> {
    if (!JSON_PROTOCOL[action.service]) throw new Error(`AWS integrations with ${action.service} are not supported by the local data plane.`);
    const refused = serviceLimitRefusal(action, body) ?? (await this.authorize(action, roleArn, body));
    if (refused) return refused;
    const credentials = await this.roles.get(roleArn);
    const chainKey = serializedWriteKey(action, body);
    if (!chainKey) return send(this.target, action, body, credentials, extraHeaders);
    const sent = (this.writeChains.get(chainKey) ?? Promise.resolve()).then(() => send(this.target, action, body, credentials, extraHeaders));
    const settled = sent.catch(() => undefined);
    this.writeChains.set(chainKey, settled);
    void settled.then(() => {
      if (this.writeChains.get(chainKey) === settled) this.writeChains.delete(chainKey);
    });
    return sent;
  }
}

function serializedWriteKey(action: ServiceAction, body: string): string | undefined {
  if (!SERIALIZED_WRITES[action.service]?.includes(action.action)) return undefined;
  try {
    const input = JSON.parse(body) as { StreamName?: unknown; StreamARN?: unknown };
    const stream = typeof input.StreamARN === 'string' ? input.StreamARN.slice(input.StreamARN.lastIndexOf('/') + 1) : input.StreamName;
    return `${action.service}:${typeof stream === 'string' ? stream : ''}`;
  } catch {
    return `${action.service}:`;
  }
}

/** A call as the emulator's administrator, for what the local plane itself must read (a stream's key, a key's policy). */
export function callAsEmulator(target: EmulatorTarget, action: ServiceAction, input: unknown): Promise<ServiceResponse> {
  return send(target, action, JSON.stringify(input), EMULATOR_CREDENTIALS, {});
}

async function send(target: EmulatorTarget, action: ServiceAction, body: string, credentials: Credentials, extraHeaders: Readonly<Record<string, string>>): Promise<ServiceResponse> {
  const protocol = JSON_PROTOCOL[action.service];
  if (!protocol) throw new Error(`The local data plane does not speak ${action.service}'s protocol.`);
  const url = new URL(target.endpoint);
  const headers: Record<string, string> = {
    'content-type': protocol.contentType,
    ...lowerCase(extraHeaders),
    'x-amz-target': `${protocol.targetPrefix}.${action.action}`,
    host: url.host,
  };
  const signed = signHeaders({ method: 'POST', path: '/', rawQuery: '', headers, body }, credentials, target.region, action.service);
  const response = await fetch(`${target.endpoint}/`, { method: 'POST', headers: { ...headers, ...signed }, body });
  return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: await response.text() };
}

function lowerCase(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}
