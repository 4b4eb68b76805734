import { EMULATOR_CREDENTIALS, EmulatorTarget } from '../aws/clients';
import { KnownCredential } from '../aws/sigv4';

/**
 * Who signed a request to an `AWS_IAM` method. The emulator's conventional credentials stand for
 * the account's root user. Any other access key must be one the emulator issued: an IAM user's
 * access key (CreateAccessKey) or temporary credentials from its STS (AssumeRole), with their
 * secret and session token read from moto's own state dump (`/moto-api/data.json`, the data behind
 * its dashboard: http://docs.getmoto.org/en/latest/docs/server_mode.html#dashboard), since AWS's
 * APIs never return a secret twice.
 */
export type Principal =
  | { readonly kind: 'root'; readonly arn: string }
  | { readonly kind: 'user'; readonly arn: string; readonly name: string }
  | { readonly kind: 'assumed-role'; readonly arn: string; readonly roleArn: string; readonly roleName: string };

export interface Caller {
  readonly accessKeyId: string;
  readonly credential: KnownCredential;
  readonly principal: Principal;
}

interface MotoState {
  readonly iam?: { readonly AccessKey?: readonly { access_key_id: string; secret_access_key: string; status: string; user_name: string | null; role_arn: string | null }[] };
  readonly sts?: { readonly AssumedRole?: readonly { access_key_id: string; secret_access_key: string; session_token: string; arn: string; role_arn: string }[] };
}

// A key not seen yet makes one fresh read of the emulator's state, at most this often.
const REFRESH_MS = 1000;

export class CallerCredentials {
  private callers = new Map<string, Caller>();
  private lastRead = 0;
  private reading?: Promise<void>;

  constructor(
    private readonly target: EmulatorTarget,
    private readonly accountId: string,
  ) {}

  async find(accessKeyId: string): Promise<Caller | undefined> {
    if (accessKeyId === EMULATOR_CREDENTIALS.accessKeyId) {
      return { accessKeyId, credential: { secretAccessKey: EMULATOR_CREDENTIALS.secretAccessKey }, principal: { kind: 'root', arn: `arn:aws:iam::${this.accountId}:root` } };
    }
    if (!this.callers.has(accessKeyId) && Date.now() - this.lastRead >= REFRESH_MS) await this.refresh();
    return this.callers.get(accessKeyId);
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
    // moto 5.2.1 answers 500 here once any Lambda function exists and no Docker engine runs (its
    // Lambda model's docker_client property raises while the dump reads every attribute). Then no
    // key but the emulator's own is known, and such a caller gets the unknown-key refusal (403),
    // never a 500; README "Known differences from AWS" says so.
    if (!response.ok) {
      await response.body?.cancel();
      this.callers = new Map();
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
      const roleName = role.role_arn.slice(role.role_arn.lastIndexOf('/') + 1);
      const principal: Principal = { kind: 'assumed-role', arn: role.arn, roleArn: role.role_arn, roleName };
      callers.set(role.access_key_id, { accessKeyId: role.access_key_id, credential: { secretAccessKey: role.secret_access_key, sessionToken: role.session_token }, principal });
    }
    this.callers = callers;
  }
}
