import * as fs from 'fs';
import * as path from 'path';
import { AddressInfo } from 'net';
import { EmulatorTarget } from './aws/clients';
import { AccessControl } from './iam/access-control';
import { CallerCredentials } from './iam/callers';
import { callerKeysEndpoint } from './iam/caller-keys-endpoint';
import { ExecutionRoleProxy } from './iam/execution-role-proxy';
import { DEFAULT_POLICY_TTL_MS, IdentityPolicies } from './iam/identity-policies';
import { RoleCredentials } from './aws/role-credentials';
import { ServiceCaller } from './aws/service-call';
import { readLocalDeployment } from './deployment/local-deployment';
import { startEventSources } from './event-sources/event-sources';
import { MappingStatus } from './event-sources/mapping-health';
import { loadHttpApis } from './http/definition';
import { HttpApiHandler } from './http/http-api-handler';
import { FunctionRegistry } from './lambda/functions';
import { loadRestApis } from './rest/definition';
import { RestApiHandler } from './rest/rest-api-handler';
import { basePath, createGatewayServer, MountedApi } from './server/gateway-server';
import { FunctionLogs } from './lambda/function-logs';
import { unsupportedFeatures } from './unsupported';
import { startSecretRotations } from './secrets/rotation';

/**
 * The local data plane of a `deploy:local` deployment: every deployed REST and HTTP API served on
 * 127.0.0.1, the deployed Lambda functions run in warm local sandboxes, the event source mappings
 * polled, and the features the emulator lacks supplied from what was deployed.
 */
export interface DataPlaneOptions extends EmulatorTarget {
  readonly port: number;
  /** The synthesized app of `deploy:local` (`.local/cdktf.out`). */
  readonly outdir: string;
  /** Where `endpoints.json` is written (`.local`). */
  readonly localDir: string;
  readonly log: (line: string) => void;
  /**
   * Seconds before a failed SQS batch is received again. @default the queue's visibility timeout (as on AWS)
   */
  readonly sqsRetrySeconds?: number;
}

export interface DataPlane {
  readonly url: string;
  /** `{"<stack>": {"api_url": "<local base URL>"}}`, the shape of each stack's `api_url` output. */
  readonly endpoints: Readonly<Record<string, { api_url: string }>>;
  readonly notices: readonly string[];
  /** The event source mappings run here, with their state and last processing result. */
  eventSourceMappings(): readonly MappingStatus[];
  stop(): Promise<void>;
  /**
   * Stops at once, as a crash (SIGKILL) would: connections dropped, nothing in flight acknowledged
   * (SQS messages not deleted, Kinesis positions not checkpointed), endpoints.json left behind.
   */
  abandon(): Promise<void>;
}

export const ENDPOINTS_FILE = 'endpoints.json';
export const CHECKPOINTS_FILE = 'event-source-checkpoints.json';
const ACCOUNT_ID = '123456789012';

export async function startDataPlane(options: DataPlaneOptions): Promise<DataPlane> {
  const target: EmulatorTarget = { endpoint: options.endpoint, region: options.region };
  const stacks = await readLocalDeployment(options.outdir, target);
  const [restApis, httpApis] = await Promise.all([loadRestApis(target), loadHttpApis(target)]);
  const functionLogs = new FunctionLogs(path.join(options.localDir, 'logs'));
  const roles = new RoleCredentials(target);
  const access = new AccessControl(target, { region: options.region, accountId: ACCOUNT_ID }, new IdentityPolicies(target, DEFAULT_POLICY_TTL_MS), DEFAULT_POLICY_TTL_MS);
  const sdkProxy = new ExecutionRoleProxy(target, roles, access, options.log);
  const sdkEndpoint = await sdkProxy.start();
  const functions = new FunctionRegistry(
    target,
    stacks,
    (fn, line) => {
      options.log(`[${fn}] ${line}`);
      functionLogs.write(fn, line);
    },
    async (roleArn, functionName) => ({ endpoint: sdkEndpoint, credentials: await sdkProxy.credentialsFor(roleArn, functionName) }),
  );
  const services = new ServiceCaller(target, roles, (action, roleArn, body) => access.integrationCall(action, roleArn, body));
  const callers = new CallerCredentials(target, ACCOUNT_ID);
  const deps = { functions, services, accountId: ACCOUNT_ID, callers, access, region: options.region };

  const mounted: (MountedApi & { stack?: string })[] = [
    ...restApis.map((definition) => ({ apiId: definition.id, stage: definition.stage, stack: definition.stack, kind: 'REST' as const, handler: new RestApiHandler(definition, deps) })),
    ...httpApis.map((definition) => ({
      apiId: definition.id,
      stage: definition.stage === '$default' ? undefined : definition.stage,
      stack: definition.stack,
      kind: 'HTTP' as const,
      handler: new HttpApiHandler(definition, deps),
    })),
  ];
  const server = createGatewayServer(mounted, options.log, callerKeysEndpoint(target, callers, ACCOUNT_ID));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${options.port} on 127.0.0.1 is in use; set PIPELINES_LOCAL_GATEWAY_PORT to a free port.`) : error),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  }).catch(async (error: Error) => {
    await sdkProxy.stop();
    throw error;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const endpoints: Record<string, { api_url: string }> = {};
  for (const api of mounted) {
    if (api.stack) endpoints[api.stack] = { api_url: `${url}${basePath(api)}` };
  }
  const notices = unsupportedFeatures(restApis, httpApis);
  const eventSources = await startEventSources({
    target,
    functions,
    stacks,
    log: options.log,
    sqsRetrySeconds: options.sqsRetrySeconds,
    checkpointFile: path.join(options.localDir, CHECKPOINTS_FILE),
  });
  notices.push(...eventSources.notices);
  const rotations = await startSecretRotations({ target, functions, log: options.log });

  fs.mkdirSync(options.localDir, { recursive: true });
  const endpointsFile = path.join(options.localDir, ENDPOINTS_FILE);
  fs.writeFileSync(endpointsFile, `${JSON.stringify(endpoints, null, 2)}\n`);

  // Warm every function an API uses, so the first request does not pay the init phase.
  for (const fnUri of functionReferences(restApis, httpApis)) void functions.get(fnUri).catch((e: Error) => options.log(`cannot load ${fnUri}: ${e.message}`));

  return {
    url,
    endpoints,
    notices,
    eventSourceMappings: () => eventSources.mappings(),
    async stop() {
      rotations.stop();
      await eventSources.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await functions.stop();
      await sdkProxy.stop();
      functionLogs.close();
      if (fs.existsSync(endpointsFile)) fs.rmSync(endpointsFile);
    },
    async abandon() {
      // A crash ends the whole process: nothing is acknowledged or checkpointed, and nothing of it
      // stays listening (the SDK proxy and the rotation timer go with it).
      eventSources.abandon();
      rotations.stop();
      server.closeAllConnections();
      server.close();
      await functions.stop();
      await sdkProxy.stop();
      functionLogs.close();
    },
  };
}

function functionReferences(rest: Awaited<ReturnType<typeof loadRestApis>>, httpApis: Awaited<ReturnType<typeof loadHttpApis>>): Set<string> {
  const refs = new Set<string>();
  for (const api of rest) {
    for (const r of api.resources) {
      for (const m of Object.values(r.methods)) if (m.methodIntegration?.type === 'AWS_PROXY' && m.methodIntegration.uri) refs.add(m.methodIntegration.uri);
    }
  }
  for (const api of httpApis) for (const route of api.routes) if (route.authorizer) refs.add(route.authorizer.uri);
  return refs;
}
