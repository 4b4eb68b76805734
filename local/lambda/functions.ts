import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { unzipSync } from 'fflate';
import { emulatorClient, EMULATOR_CREDENTIALS, EmulatorTarget } from '../aws/clients';
import { DeployedStack, stateResources } from '../deployment/local-deployment';
import { InvocationOutcome, Sandbox } from './sandbox';

/**
 * The deployed Lambda functions, run locally. Configuration (handler, environment, timeout, memory)
 * comes from the emulator's GetFunction. The code is the deployment package the emulator holds:
 * moto keeps the zip in memory and answers a `Code.Location` that cannot be downloaded, so the zip
 * is taken from the file Terraform uploaded (its path is in the state) and accepted only when its
 * SHA-256 equals the `CodeSha256` the emulator reports.
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
 */

// A few warm sandboxes per function are plenty on a laptop; more requests queue (like reserved concurrency).
const MAX_SANDBOXES_PER_FUNCTION = 4;

export interface LocalFunction {
  readonly name: string;
  readonly arn: string;
  readonly timeoutMs: number;
  /** Where its SDK calls go and the execution role's credentials they sign with; its event source mappings read with the same. */
  readonly sdk: Awaited<ReturnType<SdkAccess>>;
  invoke(event: unknown): Promise<InvocationOutcome & { readonly requestId: string }>;
}

/** Where a function's SDK calls go and the credentials they sign with (its execution role's). */
export type SdkAccess = (roleArn: string, functionName: string) => Promise<{ readonly endpoint: string; readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }>;

export class FunctionRegistry {
  private readonly lambda: LambdaClient;
  private readonly functions = new Map<string, Promise<LocalFunction>>();
  private readonly sandboxes: Sandbox[] = [];
  private readonly codeRoot: string;

  constructor(
    private readonly target: EmulatorTarget,
    private readonly stacks: readonly DeployedStack[],
    private readonly log: (functionName: string, line: string) => void,
    /** @default the emulator itself, with its credentials */
    private readonly sdkAccess?: SdkAccess,
  ) {
    this.lambda = emulatorClient(LambdaClient, target);
    this.codeRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-local-lambda-'));
  }

  /** The function named by an ARN (function, or API Gateway's `.../functions/<arn>/invocations` URI) or a name. */
  get(reference: string): Promise<LocalFunction> {
    const name = functionNameOf(reference);
    let fn = this.functions.get(name);
    if (!fn) {
      fn = this.load(name);
      this.functions.set(name, fn);
      fn.catch(() => this.functions.delete(name));
    }
    return fn;
  }

  async stop(): Promise<void> {
    await Promise.all(this.sandboxes.map((s) => s.stop()));
    fs.rmSync(this.codeRoot, { recursive: true, force: true });
  }

  private async load(name: string): Promise<LocalFunction> {
    const { Configuration: config } = await this.lambda.send(new GetFunctionCommand({ FunctionName: name }));
    if (!config?.FunctionArn || !config.Handler) throw new Error(`Function ${name}: the emulator returned no configuration.`);
    if (config.PackageType === 'Image') throw new Error(`Function ${name}: container images are not supported by the local data plane.`);
    if (config.Runtime && !config.Runtime.startsWith('nodejs')) {
      throw new Error(`Function ${name}: runtime ${config.Runtime} is not supported locally (only nodejs*).`);
    }
    const zip = this.packageOf(name, config.CodeSha256 ?? '');
    const codeDir = path.join(this.codeRoot, name);
    fs.mkdirSync(codeDir, { recursive: true });
    for (const [file, bytes] of Object.entries(unzipSync(zip))) {
      if (file.endsWith('/')) continue;
      const target = path.join(codeDir, file);
      if (!target.startsWith(codeDir + path.sep)) throw new Error(`Function ${name}: zip entry ${file} escapes the package folder.`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
    }
    const sdk: Awaited<ReturnType<SdkAccess>> = this.sdkAccess && config.Role ? await this.sdkAccess(config.Role, name) : { endpoint: this.target.endpoint, credentials: { ...EMULATOR_CREDENTIALS } };
    const timeoutMs = (config.Timeout ?? 3) * 1000;
    const memory = String(config.MemorySize ?? 128);
    const env: Record<string, string> = {
      ...(config.Environment?.Variables ?? {}),
      // Reserved variables the runtime sets: https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memory,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: 'local',
      AWS_REGION: this.target.region,
      AWS_DEFAULT_REGION: this.target.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${config.Runtime ?? 'nodejs'}`,
      LAMBDA_TASK_ROOT: codeDir,
      _HANDLER: config.Handler,
      // Every SDK call of the function goes to the emulator (through the IAM-evaluating proxy), signed as its role.
      AWS_ENDPOINT_URL: sdk.endpoint,
      AWS_ACCESS_KEY_ID: sdk.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sdk.credentials.secretAccessKey,
      ...(sdk.credentials.sessionToken ? { AWS_SESSION_TOKEN: sdk.credentials.sessionToken } : {}),
      PATH: process.env.PATH ?? '',
      TZ: 'UTC',
    };
    const pool: Sandbox[] = [];
    const waiting: (() => void)[] = [];
    const log = (line: string) => this.log(name, line);
    const newSandbox = (): Sandbox => {
      const sandbox = new Sandbox({ functionName: name, codeDir, handler: config.Handler!, env, log });
      pool.push(sandbox);
      this.sandboxes.push(sandbox);
      return sandbox;
    };
    const acquire = async (): Promise<Sandbox> => {
      for (let i = 0; i < 10_000; i++) {
        const idle = pool.find((s) => !s.busy) ?? (pool.length < MAX_SANDBOXES_PER_FUNCTION ? newSandbox() : undefined);
        if (idle) {
          idle.busy = true;
          return idle;
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      throw new Error(`Function ${name}: no sandbox became free.`);
    };
    // The init phase runs now, so the first request does not pay for it.
    newSandbox().warm();
    return {
      name,
      arn: config.FunctionArn,
      timeoutMs,
      sdk,
      async invoke(event: unknown) {
        const sandbox = await acquire();
        const requestId = crypto.randomUUID();
        try {
          const outcome = await sandbox.invoke(event, { awsRequestId: requestId, timeoutMs, functionArn: config.FunctionArn!, memoryLimitInMB: memory });
          return { ...outcome, requestId };
        } finally {
          sandbox.busy = false;
          waiting.shift()?.();
        }
      },
    };
  }

  private packageOf(name: string, codeSha256: string): Uint8Array {
    for (const stack of this.stacks) {
      for (const fn of stateResources(stack, 'aws_lambda_function')) {
        if (fn.function_name !== name) continue;
        if (typeof fn.filename !== 'string') throw new Error(`Function ${name}: its state has no deployment package file (S3 or image code is not supported locally).`);
        const file = path.resolve(stack.dir, fn.filename);
        if (!fs.existsSync(file)) throw new Error(`Function ${name}: ${file} is gone; run \`npm run deploy:local\` again.`);
        const zip = fs.readFileSync(file);
        const sha = crypto.createHash('sha256').update(zip).digest('base64');
        if (sha !== codeSha256) {
          throw new Error(`Function ${name}: ${file} (SHA-256 ${sha}) is not the package the emulator holds (${codeSha256}); run \`npm run deploy:local\` again.`);
        }
        return zip;
      }
    }
    throw new Error(`Function ${name} is in the emulator but in no deployed stack's state.`);
  }
}

/** `arn:aws:apigateway:r:lambda:path/2015-03-31/functions/arn:aws:lambda:r:a:function:NAME/invocations` or a function ARN -> NAME. */
export function functionNameOf(reference: string): string {
  const match = /function:([A-Za-z0-9_-]+)/.exec(reference);
  return match ? match[1] : reference;
}
