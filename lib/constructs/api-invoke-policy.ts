import { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { validateAtSynth } from './errors';
import { policyDocument } from './policy-document';

export interface ApiInvokePolicyProps {
  /** Physical policy name. */
  readonly name: string;
  readonly description?: string;
  /**
   * `execute-api` ARNs of the methods callers may invoke (e.g. from `RestApi.executeArn`), read at
   * synth time so routes added after this construct are included.
   */
  readonly routeArns: () => readonly string[];
}

/**
 * A managed IAM policy allowing `execute-api:Invoke` on exactly the given methods of an IAM-authorized
 * REST API. Attach it to the users or roles that may call the API; nobody else can.
 */
export class ApiInvokePolicy extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: ApiInvokePolicyProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, 'Policy', {
      name: props.name,
      description: props.description,
      policy: policyDocument(this, 'Document', () => [
        { sid: 'InvokeApiRoutes', actions: ['execute-api:Invoke'], resources: [...props.routeArns()] },
      ]).json,
    });
    validateAtSynth(this, () => (props.routeArns().length === 0 ? ["the policy grants no route; add the API's routes before synthesis"] : []));
  }

  get arn(): string {
    return this.policy.arn;
  }
}
