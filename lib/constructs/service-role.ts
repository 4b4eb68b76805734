import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { PolicyStatement, policyDocument, serviceTrustPolicy } from './policy-document';

export interface ServiceRoleProps {
  /** Physical role name (at most 64 characters). */
  readonly name: string;
  /** Service principal allowed to assume the role, e.g. `lambda.amazonaws.com`. */
  readonly service: string;
  readonly description?: string;
  /** Initial permissions; more can be added with `addStatements`. @default none */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * An IAM role for one AWS service with a single inline policy holding exactly the statements
 * granted to it. Inline rather than managed, so the permissions live and die with the role.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** The inline policy; depend on it when a consumer (e.g. an event source mapping) checks the role's rights on creation. */
  readonly policy: IamRolePolicy;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    if (props.name.length > 64) {
      throw new Error(`ServiceRole ${this.node.path}: role name "${props.name}" is ${props.name.length} characters; IAM allows 64. Use a shorter stack short name or environment.`);
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
    this.node.addValidation({
      validate: () => (this.statements.length === 0 ? [`ServiceRole ${this.node.path} has no permissions; grant it what it needs with addStatements().`] : []),
    });
  }

  addStatements(...statements: PolicyStatement[]): void {
    this.statements.push(...statements);
  }

  get arn(): string {
    return this.role.arn;
  }
}
