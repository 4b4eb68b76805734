import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { emulatorClient, EmulatorTarget } from '../aws/clients';
import { PolicyDocument } from './policy-evaluation';

/**
 * The identity policies of a role or user, read from the emulator's IAM: inline policies, attached
 * managed policies (their default version) and, for a user, its groups' policies. Cached per
 * identity for `ttlMs`, so a policy changed in the emulator applies within that time, as IAM's own
 * changes propagate after a delay on AWS.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 */
export type Identity = { readonly kind: 'role'; readonly name: string } | { readonly kind: 'user'; readonly name: string };

export const DEFAULT_POLICY_TTL_MS = 2000;

export class IdentityPolicies {
  private readonly iam: IAMClient;
  private readonly cache = new Map<string, { readonly at: number; readonly documents: Promise<readonly PolicyDocument[]> }>();

  constructor(
    target: EmulatorTarget,
    private readonly ttlMs = DEFAULT_POLICY_TTL_MS,
  ) {
    this.iam = emulatorClient(IAMClient, target);
  }

  of(identity: Identity): Promise<readonly PolicyDocument[]> {
    const key = `${identity.kind}/${identity.name}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.documents;
    const documents = identity.kind === 'role' ? this.rolePolicies(identity.name) : this.userPolicies(identity.name);
    this.cache.set(key, { at: Date.now(), documents });
    documents.catch(() => this.cache.delete(key));
    return documents;
  }

  private async rolePolicies(RoleName: string): Promise<readonly PolicyDocument[]> {
    const [inline, attached] = await Promise.all([
      this.iam.send(new ListRolePoliciesCommand({ RoleName })),
      this.iam.send(new ListAttachedRolePoliciesCommand({ RoleName })),
    ]);
    return Promise.all([
      ...(inline.PolicyNames ?? []).map(async (PolicyName) => parseDocument((await this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument)),
      ...(attached.AttachedPolicies ?? []).map((p) => this.managed(p.PolicyArn!)),
    ]);
  }

  private async userPolicies(UserName: string): Promise<readonly PolicyDocument[]> {
    const [inline, attached, groups] = await Promise.all([
      this.iam.send(new ListUserPoliciesCommand({ UserName })),
      this.iam.send(new ListAttachedUserPoliciesCommand({ UserName })),
      this.iam.send(new ListGroupsForUserCommand({ UserName })),
    ]);
    const own = await Promise.all([
      ...(inline.PolicyNames ?? []).map(async (PolicyName) => parseDocument((await this.iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument)),
      ...(attached.AttachedPolicies ?? []).map((p) => this.managed(p.PolicyArn!)),
    ]);
    const ofGroups = await Promise.all((groups.Groups ?? []).map((g) => this.groupPolicies(g.GroupName!)));
    return [...own, ...ofGroups.flat()];
  }

  private async groupPolicies(GroupName: string): Promise<readonly PolicyDocument[]> {
    const [inline, attached] = await Promise.all([
      this.iam.send(new ListGroupPoliciesCommand({ GroupName })),
      this.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName })),
    ]);
    return Promise.all([
      ...(inline.PolicyNames ?? []).map(async (PolicyName) => parseDocument((await this.iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument)),
      ...(attached.AttachedPolicies ?? []).map((p) => this.managed(p.PolicyArn!)),
    ]);
  }

  private async managed(PolicyArn: string): Promise<PolicyDocument> {
    const { Policy } = await this.iam.send(new GetPolicyCommand({ PolicyArn }));
    const { PolicyVersion } = await this.iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy?.DefaultVersionId }));
    return parseDocument(PolicyVersion?.Document);
  }
}

/** IAM returns policy documents URL-encoded (RFC 3986); the emulator may return them plain. */
export function parseDocument(text: string | undefined): PolicyDocument {
  if (!text) throw new Error('The emulator returned an IAM policy without a document.');
  const trimmed = text.trim();
  return JSON.parse(trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed)) as PolicyDocument;
}
