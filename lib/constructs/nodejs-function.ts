import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { bundleLambda, LambdaBundle, NodeRuntime } from '../bundling';
import { throwIfProblems } from './errors';
import { IGrantable, IPrincipalPolicy } from './grants';
import { ServiceRole } from './service-role';

export interface NodejsFunctionProps {
  /** Physical function name (at most 64 characters); also names its role and log group. */
  readonly functionName: string;
  /** Handler source relative to the project root, e.g. `lambdas/customers/handler.ts`; must export `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** Log retention in days (a value CloudWatch accepts). */
  readonly logRetentionDays: number;
  /** @default 256 */
  readonly memorySize?: number;
  /** Seconds. @default 10 */
  readonly timeout?: number;
  /** @default no extra variables */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default unreserved (the account's shared pool) */
  readonly reservedConcurrency?: number;
  /** @default nodejs22.x */
  readonly runtime?: NodeRuntime;
}

const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * A TypeScript Lambda function: bundled with esbuild at synth time into a deterministic zip, with
 * its own log group (so retention is ours, not "never expire"), X-Ray tracing, and a role whose
 * logging rights cover only that log group. Anything else it may do is granted by the resource it
 * uses (`table.grant(fn, ...)`, `queue.grantConsumeMessages(fn)`).
 *
 * `function` is the escape hatch to the underlying `aws_lambda_function`; siblings read the typed
 * attributes below instead.
 */
export class NodejsFunction extends Construct implements IGrantable {
  readonly function: LambdaFunction;
  readonly role: ServiceRole;
  readonly grantPrincipal: IPrincipalPolicy;
  /** The function's timeout, as deployed. */
  readonly timeoutSeconds: number;
  readonly logGroup: CloudwatchLogGroup;
  readonly bundle: LambdaBundle;

  constructor(scope: Construct, id: string, props: NodejsFunctionProps) {
    super(scope, id);
    throwIfProblems(this, problemsOf(props));
    const runtime = props.runtime ?? 'nodejs22.x';
    this.timeoutSeconds = props.timeout ?? DEFAULT_TIMEOUT_SECONDS;

    this.bundle = bundleLambda(props.entry, runtime);
    const asset = new TerraformAsset(this, 'Code', {
      path: this.bundle.zipPath,
      type: AssetType.FILE,
      // cdktf would otherwise hash the path it was given; the zip's own hash is stable across machines.
      assetHash: this.bundle.sha256Hex,
    });

    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });

    this.role = new ServiceRole(this, 'ExecutionRole', {
      name: `${props.functionName}-role`.slice(0, 64),
      service: 'lambda.amazonaws.com',
      description: `Execution role of ${props.functionName}`,
      statements: [
        {
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${this.logGroup.arn}:*`],
        },
        {
          // X-Ray trace segments have no resource ARN; AWS only accepts "*" for these two actions.
          sid: 'WriteTraces',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        },
      ],
    });
    this.grantPrincipal = this.role;

    this.function = new LambdaFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime,
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: this.bundle.sha256Base64,
      memorySize: props.memorySize ?? 256,
      timeout: this.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      environment: {
        variables: {
          // Maps minified stack traces back to the TypeScript sources.
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: props.functionName,
          ...(props.environment ?? {}),
        },
      },
      // The log group must exist before the first invocation, or Lambda creates one that never expires.
      dependsOn: [this.logGroup],
    });
  }

  get arn(): string {
    return this.function.arn;
  }

  get invokeArn(): string {
    return this.function.invokeArn;
  }

  get functionName(): string {
    return this.function.functionName;
  }
}

function problemsOf(props: NodejsFunctionProps): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(props.functionName)) {
    problems.push(`functionName "${props.functionName}" must be 1-64 letters, digits, hyphens or underscores`);
  }
  if (props.memorySize !== undefined && (props.memorySize < 128 || props.memorySize > 10240)) {
    problems.push(`memorySize ${props.memorySize} must be from 128 to 10240 MB`);
  }
  if (props.timeout !== undefined && (props.timeout < 1 || props.timeout > 900)) {
    problems.push(`timeout ${props.timeout} must be from 1 to 900 seconds`);
  }
  if (props.reservedConcurrency !== undefined && props.reservedConcurrency < 0) {
    problems.push(`reservedConcurrency ${props.reservedConcurrency} must not be negative`);
  }
  return problems;
}
