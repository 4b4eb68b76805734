import { callAsEmulator, ServiceAction, ServiceResponse } from '../aws/service-call';
import { jsonError } from '../aws/service-limits';
import { Principal } from './callers';
import { IdentityPolicies } from './identity-policies';
import { AccessRequest, Decision, evaluate, evaluateKeyAccess, PolicyDocument } from './policy-evaluation';
import { AccountScope, requiredAccess } from './service-access';

/**
 * IAM, evaluated by the local plane: each service call an integration makes as its role, and each
 * `execute-api:Invoke` of an `AWS_IAM` route by its caller. moto's own IAM enforcement does not fit
 * (it authorizes most actions against resource `*`, so it cannot tell one stream from another).
 * A refusal is the service's own AccessDeniedException, with IAM's message shape:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */

// The session name role-credentials.ts assumes integration roles with.
const SESSION_NAME = 'apigateway-local';

/**
 * The KMS actions a service performs with the caller's permissions on a resource's customer
 * managed key, per API action: Kinesis for records
 * (https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html), Secrets Manager for
 * a secret's value (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html),
 * SQS for messages: producers need GenerateDataKey and Decrypt, consumers Decrypt
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
 */
const KEY_ACTIONS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  kinesis: { PutRecord: ['kms:GenerateDataKey'], PutRecords: ['kms:GenerateDataKey'], GetRecords: ['kms:Decrypt'] },
  secretsmanager: { GetSecretValue: ['kms:Decrypt'], PutSecretValue: ['kms:GenerateDataKey'] },
  sqs: { SendMessage: ['kms:GenerateDataKey', 'kms:Decrypt'], SendMessageBatch: ['kms:GenerateDataKey', 'kms:Decrypt'], ReceiveMessage: ['kms:Decrypt'] },
};

/** The AWS managed key of each service, which needs no check (see customerKey). */
const MANAGED_ALIAS: Readonly<Record<string, string>> = { kinesis: 'aws/kinesis', secretsmanager: 'aws/secretsmanager', sqs: 'aws/sqs' };

/**
 * How each service answers KMS's refusal: Kinesis with KMSAccessDeniedException (PutRecord's and
 * GetRecords' Errors), SQS with KmsAccessDenied, 400 (SendMessage's and ReceiveMessage's Errors:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html#API_ReceiveMessage_Errors),
 * Secrets Manager with its AccessDeniedException.
 */
const KEY_DENIED: Readonly<Record<string, { readonly type: string; readonly status: number }>> = {
  kinesis: { type: 'KMSAccessDeniedException', status: 400 },
  sqs: { type: 'com.amazonaws.sqs#KmsAccessDenied', status: 400 },
};

/** The error type each service answers an IAM refusal with (its JSON protocol's __type), and its status. */
const ACCESS_DENIED: Readonly<Record<string, { readonly type: string; readonly status: number; readonly headers?: Record<string, string> }>> = {
  kinesis: { type: 'AccessDeniedException', status: 400 },
  secretsmanager: { type: 'AccessDeniedException', status: 400 },
  dynamodb: { type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', status: 400 },
  sqs: { type: 'com.amazon.coral.service#AccessDeniedException', status: 403, headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } },
};

interface StreamKey {
  /** undefined: not encrypted, or with an AWS managed key (aws/kinesis, aws/secretsmanager). */
  readonly keyArn?: string;
  readonly keyPolicy?: PolicyDocument;
}

interface Secret {
  readonly arn: string;
  readonly key: StreamKey;
}

export class AccessControl {
  private readonly streamKeys = new Map<string, Cached<StreamKey>>();
  private readonly queueKeys = new Map<string, Cached<StreamKey>>();
  private readonly secrets = new Map<string, Cached<Secret | undefined>>();

  constructor(
    private readonly target: { readonly endpoint: string; readonly region: string },
    private readonly scope: AccountScope,
    private readonly policies: IdentityPolicies,
    private readonly ttlMs: number,
  ) {}

  /** The service's refusal of a call an integration makes as `roleArn`, or undefined when IAM (and the KMS key's policy) allow it. */
  integrationCall(call: ServiceAction, roleArn: string, body: string): Promise<ServiceResponse | undefined> {
    return this.serviceCall(call, roleArn, SESSION_NAME, body);
  }

  /** The same for any session of `roleArn` (a Lambda function's is named after the function). */
  async serviceCall(call: ServiceAction, roleArn: string, sessionName: string, body: string): Promise<ServiceResponse | undefined> {
    const required = requiredAccess(call, body, this.scope);
    if (!required) return undefined;
    const secret = required.secretId !== undefined ? await this.secretOf(required.secretId) : undefined;
    if (required.secretId !== undefined && !secret) return undefined;
    const access = secret ? { ...required, resource: secret.arn } : required;
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const sessionArn = `arn:aws:sts::${this.scope.accountId}:assumed-role/${roleName}/${sessionName}`;
    const identity = await this.policies.of({ kind: 'role', name: roleName });
    const request = (action: string, resource: string, context: AccessRequest['context'] = {}): AccessRequest => ({
      action,
      resource,
      principal: { arns: [sessionArn, roleArn], accountId: this.scope.accountId },
      context: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': this.scope.accountId, ...context },
    });
    const decision = evaluate(request(access.action, access.resource), { identity });
    const denied = ACCESS_DENIED[call.service] ?? ACCESS_DENIED.kinesis;
    if (decision !== 'allow') {
      return jsonError(denied.status, denied.type, deniedMessage(sessionArn, access.action, access.resource, decision), denied.headers);
    }
    const keyActions = KEY_ACTIONS[call.service]?.[call.action] ?? [];
    if (keyActions.length === 0) return undefined;
    const key = access.stream ? await this.keyOf(access.stream) : access.queueUrl ? await this.queueKeyOf(access.queueUrl) : secret?.key;
    if (!key?.keyArn || !key.keyPolicy) return undefined;
    const via = { 'kms:ViaService': `${call.service}.${this.target.region}.amazonaws.com`, 'kms:CallerAccount': this.scope.accountId };
    for (const keyAction of keyActions) {
      const keyDecision = evaluateKeyAccess(request(keyAction, key.keyArn, via), identity, key.keyPolicy);
      if (keyDecision === 'allow') continue;
      const message = deniedMessage(sessionArn, keyAction, key.keyArn, keyDecision);
      const keyDenied = KEY_DENIED[call.service];
      return keyDenied ? jsonError(keyDenied.status, keyDenied.type, message) : jsonError(denied.status, denied.type, message, denied.headers);
    }
    return undefined;
  }

  /** undefined when `principal` may invoke `routeArn`; else AWS's message for the 403. */
  async invoke(principal: Principal, routeArn: string): Promise<string | undefined> {
    // The root user of the account is not subject to identity policies; no API here has a resource policy.
    if (principal.kind === 'root') return undefined;
    const identity = await this.policies.of(principal.kind === 'user' ? { kind: 'user', name: principal.name } : { kind: 'role', name: principal.roleName });
    const arns = principal.kind === 'user' ? [principal.arn] : [principal.arn, principal.roleArn];
    const decision = evaluate({ action: 'execute-api:Invoke', resource: routeArn, principal: { arns, accountId: this.scope.accountId }, context: { 'aws:SecureTransport': 'true' } }, { identity });
    return decision === 'allow' ? undefined : `User: ${principal.arn} is not authorized to perform: execute-api:Invoke on resource: ${routeArn}${decision === 'explicit-deny' ? ' with an explicit deny' : ''}`;
  }

  /** The stream's customer managed key and its policy; an AWS managed key needs no check (see README). */
  private keyOf(stream: string): Promise<StreamKey> {
    return cached(this.streamKeys, stream, this.ttlMs, () => this.readStreamKey(stream));
  }

  private queueKeyOf(queueUrl: string): Promise<StreamKey> {
    return cached(this.queueKeys, queueUrl, this.ttlMs, () => this.readQueueKey(queueUrl));
  }

  private secretOf(secretId: string): Promise<Secret | undefined> {
    return cached(this.secrets, secretId, this.ttlMs, () => this.readSecret(secretId));
  }

  private async readStreamKey(stream: string): Promise<StreamKey> {
    const summary = await this.emulator({ service: 'kinesis', action: 'DescribeStreamSummary' }, { StreamName: stream });
    const description = summary?.StreamDescriptionSummary as { EncryptionType?: string; KeyId?: string } | undefined;
    if (!description || description.EncryptionType !== 'KMS' || !description.KeyId) return {};
    return this.customerKey(description.KeyId, MANAGED_ALIAS.kinesis);
  }

  /** A queue with SSE-SQS (SQS owned keys) or no encryption names no KmsMasterKeyId. */
  private async readQueueKey(queueUrl: string): Promise<StreamKey> {
    const attributes = await this.emulator({ service: 'sqs', action: 'GetQueueAttributes' }, { QueueUrl: queueUrl, AttributeNames: ['KmsMasterKeyId'] });
    const keyId = (attributes?.Attributes as { KmsMasterKeyId?: string } | undefined)?.KmsMasterKeyId;
    return keyId ? this.customerKey(keyId, MANAGED_ALIAS.sqs) : {};
  }

  private async readSecret(secretId: string): Promise<Secret | undefined> {
    const described = await this.emulator({ service: 'secretsmanager', action: 'DescribeSecret' }, { SecretId: secretId });
    const arn = described?.ARN;
    if (typeof arn !== 'string') return undefined;
    const keyId = typeof described?.KmsKeyId === 'string' ? described.KmsKeyId : undefined;
    return { arn, key: keyId ? await this.customerKey(keyId, MANAGED_ALIAS.secretsmanager) : {} };
  }

  /**
   * A customer managed key and its policy. The AWS managed key of a service lets every principal of
   * the account use it through that service (its key policy), so it needs no check:
   * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
   */
  private async customerKey(keyId: string, managedAlias: string): Promise<StreamKey> {
    if (keyId === `alias/${managedAlias}` || keyId.endsWith(`:alias/${managedAlias}`)) return {};
    const described = await this.emulator({ service: 'kms', action: 'DescribeKey' }, { KeyId: keyId });
    const metadata = described?.KeyMetadata as { Arn?: string; KeyManager?: string } | undefined;
    if (!metadata?.Arn) throw new Error(`Key ${keyId} is not known to the emulator's KMS.`);
    if (metadata.KeyManager === 'AWS') return {};
    const policy = await this.emulator({ service: 'kms', action: 'GetKeyPolicy' }, { KeyId: metadata.Arn, PolicyName: 'default' });
    return { keyArn: metadata.Arn, keyPolicy: JSON.parse(String(policy?.Policy)) as PolicyDocument };
  }

  private async emulator(call: ServiceAction, input: unknown): Promise<Record<string, unknown> | undefined> {
    const response = await callAsEmulator(this.target, call, input);
    if (response.status === 400 && /ResourceNotFound|NotFound|NonExistentQueue|QueueDoesNotExist/.test(response.body)) return undefined;
    if (response.status >= 300) throw new Error(`The emulator refused ${call.service}:${call.action} (${response.status}): ${response.body.slice(0, 200)}`);
    return JSON.parse(response.body) as Record<string, unknown>;
  }
}

function deniedMessage(principalArn: string, action: string, resource: string, decision: Decision): string {
  const reason = decision === 'explicit-deny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`;
}

interface Cached<T> {
  readonly at: number;
  readonly value: Promise<T>;
}

/** A value read at most once per `ttlMs` per key; a failed read is not kept. */
function cached<T>(map: Map<string, Cached<T>>, key: string, ttlMs: number, read: () => Promise<T>): Promise<T> {
  const entry = map.get(key);
  if (entry && Date.now() - entry.at < ttlMs) return entry.value;
  const value = read();
  map.set(key, { at: Date.now(), value });
  value.catch(() => map.delete(key));
  return value;
}
