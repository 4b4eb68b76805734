import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { emulatorClient, EMULATOR_CREDENTIALS, EmulatorTarget } from '../aws/clients';
import { KnownCredential } from '../aws/sigv4';

/**
 * Who signed a request to an `AWS_IAM` method. The emulator's conventional credentials stand for
 * the account's root user. Any other access key must be one the emulator issued: an IAM user's
 * access key (CreateAccessKey) or temporary credentials from its STS (AssumeRole). AWS's APIs
 * return a secret only once, in that answer, so the plane learns it there: serve:local's own AWS
 * endpoint forwards IAM and STS calls to the emulator and hands each issued key to `learn`
 * (caller-keys-endpoint.ts). A key issued elsewhere is read from moto's state dump
 * (`/moto-api/data.json`, the data behind its dashboard:
 * http://docs.getmoto.org/en/latest/docs/server_mode.html#dashboard) when that answers.
 */
export type Principal =
  | { readonly kind: 'root'; readonly arn: string }
  | { readonly kind: 'user'; readonly arn: string; readonly name: string }
  | { readonly kind: 'assumed-role'; readonly arn: string; readonly roleArn: string; readonly roleName: string };

export interface Caller {
  readonly accessKeyId: string;
  readonly credential: KnownCredential;
  readonly principal: Principal;
  /** Temporary credentials stop working at their Expiration (epoch ms). */
  readonly expires?: number;
}

interface MotoState {
  readonly iam?: { readonly AccessKey?: readonly { access_key_id: string; secret_access_key: string; status: string; user_name: string | null; role_arn: string | null }[] };
  readonly sts?: { readonly AssumedRole?: readonly { access_key_id: string; secret_access_key: string; session_token: string; arn: string; role_arn: string }[] };
}

// A key not seen yet makes one fresh read of the emulator's state, at most this often; a user's
// keys are re-listed at most this often, so a key deactivated or deleted in the emulator is refused soon.
const REFRESH_MS = 1000;

export class CallerCredentials {
  private dumped = new Map<string, Caller>();
  private readonly learned = new Map<string, Caller>();
  private readonly activeKeys = new Map<string, { readonly at: number; readonly ids: Promise<ReadonlySet<string>> }>();
  private readonly iam: IAMClient;
  private lastRead = 0;
  private reading?: Promise<void>;

  constructor(
    private readonly target: EmulatorTarget,
    private readonly accountId: string,
  ) {
    this.iam = emulatorClient(IAMClient, target);
  }

  /** A key the emulator just issued through serve:local's AWS endpoint. */
  learn(caller: Caller): void {
    this.learned.set(caller.accessKeyId, caller);
  }

  async find(accessKeyId: string, now = Date.now()): Promise<Caller | undefined> {
    if (accessKeyId === EMULATOR_CREDENTIALS.accessKeyId) {
      return { accessKeyId, credential: { secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey }, principal: { kind: 'root', arn: `arn:aws:iam::${this.accountId}:root` } };
    }
    const learned = this.learned.get(accessKeyId);
    if (learned) return (await this.stillValid(learned, now)) ? learned : undefined;
    if (!this.dumped.has(accessKeyId) && now - this.lastRead >= REFRESH_MS) await this.refresh();
    return this.dumped.get(accessKeyId);
  }

  /**
   * A user's key counts while the emulator's IAM lists it Active for that user (it can be
   * deactivated or deleted there: https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html);
   * temporary credentials until their expiration (https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html).
   */
  private async stillValid(caller: Caller, now: number): Promise<boolean> {
    if (caller.expires !== undefined && now >= caller.expires) return false;
    if (caller.principal.kind !== 'user') return true;
    return (await this.activeKeysOf(caller.principal.name, now)).has(caller.accessKeyId);
  }

  private activeKeysOf(userName: string, now: number): Promise<ReadonlySet<string>> {
    const entry = this.activeKeys.get(userName);
    if (entry && now - entry.at < REFRESH_MS) return entry.ids;
    const ids = this.iam.send(new ListAccessKeysCommand({ UserName: userName })).then(
      (listed) => new Set((listed.AccessKeyMetadata ?? []).filter((k) => k.Status === 'Active').map((k) => k.AccessKeyId!)),
      (error: Error) => {
        if (error.name === 'NoSuchEntity' || error.name === 'NoSuchEntityException') return new Set<string>();
        throw error;
      },
    );
    this.activeKeys.set(userName, { at: now, ids });
    ids.catch(() => this.activeKeys.delete(userName));
    return ids;
  }

  private refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
      this.lastRead = Date.now();
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    const response = await fetch(`${this.target.endpoint}/moto-api/data.json`);
    // moto 5.2.1 answers 500 here once any Lambda function exists and no Docker engine runs: the
    // dump reads every public attribute of every model, and the Lambda model's docker_client
    // property raises a Docker error the dump does not catch (moto/moto_api/_internal/responses.py
    // model_data, moto/utilities/docker_utilities.py DockerModel). Then only learned keys count.
    if (!response.ok) {
      await response.body?.cancel();
      this.dumped = new Map();
      return;
    }
    // Python's json.dumps writes float('inf') and NaN as bare Infinity / NaN, which JSON.parse refuses.
    const text = (await response.text()).replace(/([:[,]\s*)-?(?:Infinity|NaN)(?=\s*[,\]}])/g, '$1null');
    const state = JSON.parse(text) as MotoState;
    const callers = new Map<string, Caller>();
    for (const key of state.iam?.AccessKey ?? []) {
      if (key.status !== 'Active' || !key.user_name) continue;
      const principal: Principal = { kind: 'user', arn: `arn:aws:iam::${this.accountId}:user/${key.user_name}`, name: key.user_name };
      callers.set(key.access_key_id, { accessKeyId: key.access_key_id, credential: { secretAccessKey: key.secret_access_key }, principal });
    }
    for (const role of state.sts?.AssumedRole ?? []) {
      callers.set(role.access_key_id, {
        accessKeyId: role.access_key_id,
        credential: { secretAccessKey: role.secret_access_key, sessionToken: role.session_token },
        principal: assumedRole(role.arn, role.role_arn),
      });
    }
    this.dumped = callers;
  }
}

export function assumedRole(sessionArn: string, roleArn: string): Principal {
  return { kind: 'assumed-role', arn: sessionArn, roleArn, roleName: roleArn.slice(roleArn.lastIndexOf('/') + 1) };
}
