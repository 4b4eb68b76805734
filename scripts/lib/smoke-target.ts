import * as fs from 'fs';
import * as path from 'path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { PipelinesConfig } from '../../lib/config';
import { EMULATOR_CREDENTIALS } from '../../local/aws/clients';
import { Credentials } from '../../local/aws/sigv4';
import { ENDPOINTS_FILE } from '../../local/data-plane';
import { readLocalDeployment } from '../../local/deployment/local-deployment';
import { LOCAL_DIR } from './emulator';
import { DEFAULT_OUTDIR, LOCAL_OUTDIR } from './synth';
import { terraform } from './terraform';

/**
 * Where a smoke run goes: each stack's outputs, the credentials for SigV4 and the SDK clients.
 * `local`: the API URLs are the data plane's (`.local/endpoints.json`, written by `serve:local`),
 * every other output comes from the stack's state in the emulator. `aws`: `terraform output -json`
 * of each stack (after `npm run deploy`), and the caller's AWS credentials.
 */
export interface SmokeTarget {
  readonly kind: 'local' | 'aws';
  readonly region: string;
  /** Outputs of a deployed stack (sensitive ones included: never print them). */
  outputs(stack: string): Promise<Record<string, unknown>>;
  /** SigV4 credentials for execute-api. */
  credentials(): Promise<Credentials>;
  /** SDK client configuration for the target (emulator endpoint and fake credentials, or the default chain). */
  readonly clientConfig: Record<string, unknown>;
  /** Folder of the local data plane's per-function logs (local target only). */
  readonly functionLogDir?: string;
}

export interface LocalPaths {
  /** Where serve:local wrote endpoints.json and the function logs. @default .local */
  readonly localDir: string;
  /** The synthesized app deploy:local applied. @default .local/cdktf.out */
  readonly outdir: string;
}

export function smokeTarget(kind: 'local' | 'aws', config: PipelinesConfig, paths: LocalPaths = { localDir: LOCAL_DIR, outdir: LOCAL_OUTDIR }): SmokeTarget {
  if (kind === 'local') {
    const target = { endpoint: config.localEndpoint, region: config.region };
    let deployment: ReturnType<typeof readLocalDeployment> | undefined;
    return {
      kind,
      region: config.region,
      clientConfig: { endpoint: config.localEndpoint, region: config.region, credentials: EMULATOR_CREDENTIALS, requestHandler: new NodeHttpHandler() },
      functionLogDir: path.join(paths.localDir, 'logs'),
      async outputs(stack) {
        const endpointsFile = path.join(paths.localDir, ENDPOINTS_FILE);
        if (!fs.existsSync(endpointsFile)) throw new Error(`${endpointsFile} is missing: start \`npm run serve:local\` first (it writes the local API URLs).`);
        const endpoints = JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as Record<string, { api_url: string }>;
        deployment ??= readLocalDeployment(paths.outdir, target);
        const deployed = (await deployment).find((s) => s.name === stack);
        if (!deployed) throw new Error(`Stack ${stack} is not deployed to the emulator; run \`npm run deploy:local\`.`);
        if (!endpoints[stack]) throw new Error(`serve:local serves no API of ${stack}; restart it after the deploy.`);
        return { ...deployed.outputs, api_url: endpoints[stack].api_url };
      },
      async credentials() {
        return EMULATOR_CREDENTIALS;
      },
    };
  }
  return {
    kind,
    region: config.region,
    clientConfig: { region: config.region },
    async outputs(stack) {
      const dir = path.join(DEFAULT_OUTDIR, 'stacks', stack);
      if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: run \`npm run deploy -- ${stack}\` first.`);
      const result = await terraform(['output', '-json', '-no-color'], { cwd: dir });
      const outputs = JSON.parse(result.stdout) as Record<string, { value: unknown }>;
      return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
    },
    async credentials() {
      // Any SDK client resolves the caller's default credential chain (environment, profile, SSO, role).
      const resolve = new SQSClient({ region: config.region }).config.credentials;
      const c = await resolve();
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
    },
  };
}

export function outputString(outputs: Record<string, unknown>, name: string, stack: string): string {
  const value = outputs[name];
  if (typeof value !== 'string' || value === '') throw new Error(`Stack ${stack} has no "${name}" output.`);
  return value;
}
