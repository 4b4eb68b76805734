import { EMULATOR_CREDENTIALS, EmulatorTarget } from './clients';
import { Credentials, signHeaders } from './sigv4';

/**
 * Credentials of an integration's role, as API Gateway gets them: it assumes the role (here, in
 * the emulator's STS, through its Query API) and signs the service call with the temporary
 * credentials. Cached until a minute before they expire.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export class RoleCredentials {
  private readonly cache = new Map<string, Promise<{ credentials: Credentials; expires: number }>>();

  constructor(private readonly target: EmulatorTarget) {}

  /** `sessionName`: API Gateway's sessions are `apigateway-local` here; a Lambda function's is the function's name. */
  async get(roleArn: string, sessionName = 'apigateway-local'): Promise<Credentials> {
    const key = `${roleArn} ${sessionName}`;
    const entry = this.cache.get(key);
    const cached = entry ? await entry.catch(() => undefined) : undefined;
    if (cached && cached.expires > Date.now() + 60_000) return cached.credentials;
    const fresh = this.assume(roleArn, sessionName);
    this.cache.set(key, fresh);
    return (await fresh).credentials;
  }

  private async assume(roleArn: string, sessionName: string): Promise<{ credentials: Credentials; expires: number }> {
    const body = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: sessionName.slice(0, 64), DurationSeconds: '3600' }).toString();
    const url = new URL(this.target.endpoint);
    const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: url.host };
    const signed = signHeaders({ method: 'POST', path: '/', rawQuery: '', headers, body }, EMULATOR_CREDENTIALS, this.target.region, 'sts');
    const response = await fetch(`${this.target.endpoint}/`, { method: 'POST', headers: { ...headers, ...signed }, body });
    const xml = await response.text();
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
    const accessKeyId = field('AccessKeyId');
    const secretAccessKey = field('SecretAccessKey');
    if (!response.ok || !accessKeyId || !secretAccessKey) {
      throw new Error(`The emulator refused AssumeRole for ${roleArn} (${response.status}): ${xml.slice(0, 300)}`);
    }
    const expiration = Date.parse(field('Expiration') ?? '');
    return {
      credentials: { accessKeyId, secretAccessKey, sessionToken: field('SessionToken') },
      expires: Number.isNaN(expiration) ? Date.now() + 3600_000 : expiration,
    };
  }
}
