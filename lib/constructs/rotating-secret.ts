import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { throwIfProblems } from './errors';
import { IGrantable } from './grants';
import { NodejsFunction } from './nodejs-function';

export interface RotatingSecretProps {
  /** Physical secret name; also names the KMS alias and the rotation function. */
  readonly name: string;
  readonly description?: string;
  /** Physical name of the rotation function (at most 64 characters). */
  readonly rotationFunctionName: string;
  /** Rotation handler source relative to the project root; it implements the four rotation steps. */
  readonly rotationEntry: string;
  /** Non-secret settings of the rotation function, e.g. the username to keep. @default none */
  readonly rotationEnvironment?: Readonly<Record<string, string>>;
  /** Region of the secret: KMS use is limited to Secrets Manager in this region. */
  readonly region: string;
  /** Log retention of the rotation function, in days. */
  readonly logRetentionDays: number;
  /** Days between rotations (1-1000). @default 30 */
  readonly rotationDays?: number;
  /**
   * Create the rotation schedule (which also rotates at once, giving the secret its first value).
   * Off only for the local emulator: moto 5 fails RotateSecret with a Lambda on a secret that has
   * no value yet, so there `npm run serve:local` makes the first rotation with the same function,
   * found through the local rotation tags below. @default true
   */
  readonly scheduleRotation?: boolean;
  /** Days a deleted secret stays recoverable: 0 (immediately gone) or 7-30. @default 30 */
  readonly recoveryWindowInDays?: number;
}

/**
 * Tags a secret carries instead of the rotation schedule when `scheduleRotation` is false (the
 * local emulator): the rotation function's ARN and the days between rotations.
 */
export const LOCAL_ROTATION_FUNCTION_TAG = 'local:rotation-function';
export const LOCAL_ROTATION_DAYS_TAG = 'local:rotation-days';

/**
 * Days the secret's KMS key waits before it is deleted: at least the secret's recovery window, so a
 * secret restored on its last recoverable day can still be decrypted. Destroy deletes the secret
 * first (it refers to the key), so both waits start together. Secrets Manager keeps a deleted
 * secret recoverable for RecoveryWindowInDays (7-30; 0 = ForceDeleteWithoutRecovery)
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html, and a key
 * scheduled for deletion cannot decrypt anything; its waiting period is 7-30 days
 * https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
 */
export function keyDeletionWindowDays(recoveryWindowInDays: number): number {
  return Math.max(7, recoveryWindowInDays);
}

/**
 * A Secrets Manager secret whose value never passes through Terraform: it has no
 * `aws_secretsmanager_secret_version`, and its rotation Lambda creates the first value when the
 * rotation schedule is applied (Secrets Manager rotates immediately) and every later one. So the
 * value is in no synthesized JSON, plan or state.
 *
 * Encrypted with its own KMS key (with yearly key rotation) rather than the account's shared
 * aws/secretsmanager key: reading the value then takes an explicit `kms:Decrypt` grant on top of
 * `secretsmanager:GetSecretValue`, and every use of the key is attributable to this secret in
 * CloudTrail. The key keeps the default key policy (the account's IAM policies decide).
 */
export class RotatingSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly key: KmsKey;
  readonly rotationFunction: NodejsFunction;
  /** The rotation schedule; undefined when `scheduleRotation` is false. */
  readonly rotation?: SecretsmanagerSecretRotation;
  private readonly viaSecretsManager: string;

  constructor(scope: Construct, id: string, props: RotatingSecretProps) {
    super(scope, id);
    const rotationDays = props.rotationDays ?? 30;
    const recoveryWindow = props.recoveryWindowInDays ?? 30;
    const problems: string[] = [];
    if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.name)) problems.push(`name "${props.name}" may only hold letters, digits and /_+=.@-`);
    if (!Number.isInteger(rotationDays) || rotationDays < 1 || rotationDays > 1000) problems.push(`rotationDays ${rotationDays} must be from 1 to 1000`);
    if (!(recoveryWindow === 0 || (Number.isInteger(recoveryWindow) && recoveryWindow >= 7 && recoveryWindow <= 30))) {
      problems.push(`recoveryWindowInDays ${recoveryWindow} must be 0 or from 7 to 30`);
    }
    throwIfProblems(this, problems);

    this.viaSecretsManager = `secretsmanager.${props.region}.amazonaws.com`;

    this.key = new KmsKey(this, 'Key', {
      description: `Encrypts the secret ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: keyDeletionWindowDays(recoveryWindow),
    });
    new KmsAlias(this, 'KeyAlias', { name: `alias/${props.name.replace(/[^A-Za-z0-9/_-]/g, '-')}`, targetKeyId: this.key.keyId });

    this.secret = new SecretsmanagerSecret(this, 'Secret', {
      name: props.name,
      description: props.description,
      kmsKeyId: this.key.arn,
      recoveryWindowInDays: recoveryWindow,
    });

    this.rotationFunction = new NodejsFunction(this, 'Rotation', {
      functionName: props.rotationFunctionName,
      entry: props.rotationEntry,
      description: `Creates and rotates the value of ${props.name}`,
      logRetentionDays: props.logRetentionDays,
      timeout: 30,
      environment: props.rotationEnvironment,
    });
    this.grantRotation(this.rotationFunction);

    const permission = new LambdaPermission(this, 'AllowSecretsManager', {
      functionName: this.rotationFunction.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'secretsmanager.amazonaws.com',
      // Only rotations of this secret may invoke the function.
      sourceArn: this.secret.arn,
    });

    if (props.scheduleRotation === false) {
      // What the local data plane (`serve:local`) reads to play Secrets Manager's part: run this
      // function's four steps when a rotation is due (local/secrets/rotation.ts).
      this.secret.tags = { ...(this.secret.tagsInput ?? {}), [LOCAL_ROTATION_FUNCTION_TAG]: this.rotationFunction.arn, [LOCAL_ROTATION_DAYS_TAG]: String(rotationDays) };
      return;
    }
    this.rotation = new SecretsmanagerSecretRotation(this, 'Schedule', {
      secretId: this.secret.id,
      rotationLambdaArn: this.rotationFunction.arn,
      rotationRules: { automaticallyAfterDays: rotationDays },
      // The first, immediate rotation is what gives the secret its first value.
      rotateImmediately: true,
      // Secrets Manager invokes the function as soon as the schedule exists (rotate_immediately), and
      // the function's first call needs its rights: both the invoke permission and the role's policy
      // must exist first, or the first rotation fails and the secret stays without a value.
      // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/secretsmanager_secret_rotation
      dependsOn: [permission, this.rotationFunction.role.policy],
    });
  }

  /** Lets `grantee` read the current value (and decrypt it through Secrets Manager only). */
  grantRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addStatements(
      { sid: 'ReadSecret', actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.arn] },
      {
        sid: 'DecryptSecretViaSecretsManager',
        actions: ['kms:Decrypt'],
        resources: [this.key.arn],
        conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [this.viaSecretsManager] }],
      },
    );
  }

  get arn(): string {
    return this.secret.arn;
  }

  /** What the four rotation steps call: versions and stages of this secret, under this secret's key. */
  private grantRotation(grantee: IGrantable): void {
    grantee.grantPrincipal.addStatements(
      {
        sid: 'RotateThisSecret',
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [this.secret.arn],
      },
      {
        // Reading and writing versions means decrypting and generating data keys under our key,
        // and only on Secrets Manager's behalf.
        sid: 'UseSecretKeyViaSecretsManager',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.arn],
        conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [this.viaSecretsManager] }],
      },
    );
  }
}
