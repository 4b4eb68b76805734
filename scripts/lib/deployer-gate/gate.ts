import * as http from 'http';
import { AddressInfo } from 'net';
import { EMULATOR_CREDENTIALS } from '../../../local/aws/clients';
import { IdentityPolicies } from '../../../local/iam/identity-policies';
import { evaluate, evaluateKeyAccess, PolicyEvaluationError } from '../../../local/iam/policy-evaluation';
import { Access, accessesOf } from './access';
import { Denial, denial } from './denials';
import { EmulatorLookups } from './lookups';
import { operationOf, protocolOf } from './operations';
import { GateRequest, signerOf } from './request';

/**
 * The deployer gate: an HTTP proxy in front of the emulator that authorizes every request signed
 * by an IAM user's access key against that user's policies, with AWS's evaluation logic
 * (local/iam/policy-evaluation.ts), and forwards it unchanged only when every right it needs is
 * allowed. moto's own enforcement cannot do this (README "Deploying to AWS"). The emulator's root
 * key passes unchecked, as the root user is not subject to identity policies; a request the gate
 * cannot map to actions and resources is refused (fail closed), with a message naming it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * Signatures are not verified (moto does not either): the access key names the caller.
 */
export interface GateDecision {
  readonly user: string;
  readonly access?: Access;
  readonly refused?: string;
}

export interface DeployerGate {
  readonly endpoint: string;
  /** Every decision on a user's request, in order. */
  readonly decisions: readonly GateDecision[];
  /** Forget the policies read so far (they are kept IAM's usual couple of seconds otherwise). */
  policiesChanged(): void;
  stop(): Promise<void>;
}

export interface GateOptions {
  readonly emulator: string;
  readonly region: string;
  readonly account: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Told of each decision as it is made (a refused request may be retried by the caller for minutes). */
  readonly onDecision?: (decision: GateDecision) => void;
}

export async function startDeployerGate(options: GateOptions): Promise<DeployerGate> {
  const target = { endpoint: options.emulator, region: options.region };
  const lookups = new EmulatorLookups(target);
  let policies = new IdentityPolicies(target);
  const decisions: GateDecision[] = [];
  const record = (decision: GateDecision) => {
    decisions.push(decision);
    options.onDecision?.(decision);
  };
  const upstream = new URL(options.emulator);

  async function refusal(request: GateRequest): Promise<Denial | undefined> {
    const signer = signerOf(request);
    if (!signer) return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'The deployer gate refuses unsigned requests.' };
    if (signer.accessKeyId === EMULATOR_CREDENTIALS.accessKeyId) return undefined;
    const user = await lookups.userOf(signer.accessKeyId);
    const op = operationOf(request, signer);
    const refuse = (message: string) => {
      record({ user: user ?? signer.accessKeyId, refused: message });
      return typeof op === 'string' ? denial(protocolOf(request, signer), signer.signingName, message) : denial(op.protocol, op.service, message);
    };
    if (!user) return refuse(`The security token included in the request is invalid: access key ${signer.accessKeyId} is no IAM user's`);
    if (typeof op === 'string') return refuse(op);
    const scope = { partition: 'aws', region: signer.region, account: options.account };
    const accesses = await accessesOf(op, request.path, scope, lookups, user);
    if (typeof accesses === 'string') return refuse(accesses);
    const arn = `arn:aws:iam::${options.account}:user/${user}`;
    const identity = await policies.of({ kind: 'user', name: user });
    for (const access of accesses) {
      let decision;
      try {
        const context = { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': options.account, ...access.context };
        const accessRequest = { action: access.action, resource: access.resource, principal: { arns: [arn], accountId: options.account }, context };
        // A KMS key's policy is its primary control: https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html
        decision = access.keyPolicy ? evaluateKeyAccess(accessRequest, identity, access.keyPolicy) : evaluate(accessRequest, { identity });
      } catch (error) {
        if (!(error instanceof PolicyEvaluationError)) throw error;
        return refuse(error.message);
      }
      if (decision !== 'allow') {
        const reason =
          decision === 'explicit-deny'
            ? 'with an explicit deny'
            : access.keyPolicy
              ? `because neither the key policy nor an identity-based policy (where the key policy lets IAM decide) allows the ${access.action} action`
              : `because no identity-based policy allows the ${access.action} action`;
        const message = `User: ${arn} is not authorized to perform: ${access.action} on resource: ${access.resource} ${reason}`;
        record({ user, access, refused: message });
        return denial(op.protocol, op.service, message);
      }
      record({ user, access });
    }
    return undefined;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://gate');
      const request: GateRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers as Record<string, string>, body };
      refusal(request).then(
        (refused) => {
          if (refused) {
            res.writeHead(refused.status, { ...refused.headers, 'content-length': Buffer.byteLength(refused.body) });
            res.end(req.method === 'HEAD' ? undefined : refused.body);
            return;
          }
          const forwarded = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
            answer.pipe(res);
          });
          forwarded.on('error', (error) => res.destroy(error));
          forwarded.end(body);
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`deployer gate: ${error.message}`);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    decisions,
    policiesChanged: () => {
      policies = new IdentityPolicies(target);
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
