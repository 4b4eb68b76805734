import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ConstructValidationError, validateAtSynth } from './errors';
import { IGrantable, IPrincipalPolicy } from './grants';
import { PolicyStatement, policyDocument, serviceTrustPolicy } from './policy-document';

export interface ServiceRoleProps {
  /** Physical role name (at most 64 characters). */
  readonly name: string;
  /** Service principal allowed to assume the role, e.g. `lambda.amazonaws.com`. */
  readonly service: string;
  readonly description?: string;
  /**
   * Permissions on things no construct of ours owns (an account-wide setting, "*"-only actions).
   * Rights on our own resources come from their grant methods. @default none
   */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * An IAM role for one AWS service with a single inline policy holding exactly the statements
 * granted to it. Inline rather than managed, so the permissions live and die with the role.
 */
export class ServiceRole extends Construct implements IGrantable, IPrincipalPolicy {
  readonly grantPrincipal: IPrincipalPolicy = this;
  readonly role: IamRole;
  /** The inline policy; depend on it when a consumer (e.g. an event source mapping) checks the role's rights on creation. */
  readonly policy: IamRolePolicy;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (props.name.length > 64) {
      throw new ConstructValidationError(this, [
        `role name "${props.name}" is ${props.name.length} characters; IAM allows 64. Use a shorter stack short name or environment`,
      ]);
    }
    this.statements.push(...(props.statements ?? []));

    this.role = new IamRole(this, 'Role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: serviceTrustPolicy(this, 'TrustPolicy', props.service).json,
    });
    this.policy = new IamRolePolicy(this, 'Permissions', {
      name: 'permissions',
      role: this.role.id,
      policy: policyDocument(this, 'PermissionsDocument', () => this.statements).json,
    });
    validateAtSynth(this, () =>
      this.statements.length === 0 ? ['the role has no permissions; grant it what it needs through the resources it uses (e.g. queue.grantSendMessages(role))'] : [],
    );
  }

  /** Adds to the role's policy; prefer the resource's grant method where there is one. */
  addStatements(...statements: PolicyStatement[]): void {
    this.statements.push(...statements);
  }

  get arn(): string {
    return this.role.arn;
  }
}
