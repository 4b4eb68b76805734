import * as http from 'http';
import { AddressInfo } from 'net';
import { EmulatorTarget } from '../aws/clients';
import { RoleCredentials } from '../aws/role-credentials';
import { ServiceResponse } from '../aws/service-call';
import { jsonError } from '../aws/service-limits';
import { claimedAccessKeyId, Credentials } from '../aws/sigv4';
import { AccessControl } from './access-control';
import { PolicyEvaluationError } from './policy-evaluation';

/**
 * The endpoint the Lambda functions' SDK calls go to: each function signs with temporary
 * credentials of its execution role (assumed in moto's STS, as Lambda does), and each call is
 * evaluated against that role's policies before it is forwarded to the emulator unchanged. moto
 * does not check the signature, so forwarding the request as signed is enough.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
 */
export class ExecutionRoleProxy {
  private readonly sessions = new Map<string, { readonly roleArn: string; readonly sessionName: string }>();
  private server?: http.Server;
  url = '';

  constructor(
    private readonly target: EmulatorTarget,
    private readonly roles: RoleCredentials,
    private readonly access: AccessControl,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<string> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }

  /** Credentials for a function's sandbox; calls signed with them are evaluated as `roleArn`'s session `functionName`. */
  async credentialsFor(roleArn: string, functionName: string): Promise<Credentials> {
    const credentials = await this.roles.get(roleArn, functionName);
    this.sessions.set(credentials.accessKeyId, { roleArn, sessionName: functionName });
    return credentials;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let answer: ServiceResponse | Response;
    try {
      answer = (await this.refusal(req, body.toString('utf8'))) ?? (await this.forward(req, body));
    } catch (error) {
      const message = error instanceof PolicyEvaluationError ? error.message : `The local data plane could not evaluate this call: ${(error as Error).message}`;
      this.log(`IAM evaluation failed: ${message}`);
      answer = jsonError(500, 'InternalFailure', message);
    }
    if (answer instanceof Response) {
      const headers = Object.fromEntries([...answer.headers.entries()].filter(([k]) => !['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)));
      const bytes = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length) });
      res.end(bytes);
      return;
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
    res.end(answer.body);
  }

  /** The service's answer when the caller's role may not make this call; JSON-protocol calls only (X-Amz-Target). */
  private async refusal(req: http.IncomingMessage, body: string): Promise<ServiceResponse | undefined> {
    const accessKeyId = claimedAccessKeyId(headerValue(req, 'authorization'));
    const session = accessKeyId ? this.sessions.get(accessKeyId) : undefined;
    if (!session) return jsonError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(headerValue(req, 'authorization') ?? '')?.[1];
    const action = headerValue(req, 'x-amz-target')?.split('.').pop();
    if (!service || !action) {
      throw new PolicyEvaluationError(`The local IAM evaluation only reads JSON-protocol calls (X-Amz-Target); ${req.method} ${req.url} to ${service ?? 'an unknown service'} is refused.`);
    }
    const refused = await this.access.serviceCall({ service, action }, session.roleArn, session.sessionName, body);
    if (refused) this.log(`IAM refused ${service}:${action} for ${session.sessionName}`);
    return refused;
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<Response> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || ['host', 'connection', 'content-length'].includes(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    return fetch(`${this.target.endpoint}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
  }
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
