import { GetAccessKeyLastUsedCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { emulatorClient, EmulatorTarget } from '../../../local/aws/clients';
import { callAsEmulator } from '../../../local/aws/service-call';
import { PolicyDocument } from '../../../local/iam/policy-evaluation';
import { Lookups } from './access';

/** What the gate reads from the emulator as its root user: whose key signed, a key's tags, a mapping's function. */
export class EmulatorLookups implements Lookups {
  private readonly iam: IAMClient;
  private readonly lambda: LambdaClient;
  private readonly users = new Map<string, Promise<string | undefined>>();

  constructor(private readonly target: EmulatorTarget) {
    this.iam = emulatorClient(IAMClient, target);
    this.lambda = emulatorClient(LambdaClient, target);
  }

  /** The IAM user an access key belongs to (GetAccessKeyLastUsed names it), or undefined for a key IAM never issued. */
  userOf(accessKeyId: string): Promise<string | undefined> {
    let user = this.users.get(accessKeyId);
    if (!user) {
      user = this.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId })).then(
        (r) => r.UserName,
        () => undefined,
      );
      this.users.set(accessKeyId, user);
    }
    return user;
  }

  async key(keyId: string): Promise<{ arn: string; tags: Record<string, string>; policy?: PolicyDocument } | undefined> {
    const described = await callAsEmulator(this.target, { service: 'kms', action: 'DescribeKey' }, { KeyId: keyId });
    if (described.status !== 200) return undefined;
    const arn = (JSON.parse(described.body) as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn;
    const listed = await callAsEmulator(this.target, { service: 'kms', action: 'ListResourceTags' }, { KeyId: arn });
    const tags = listed.status === 200 ? ((JSON.parse(listed.body) as { Tags?: { TagKey: string; TagValue: string }[] }).Tags ?? []) : [];
    const policy = await callAsEmulator(this.target, { service: 'kms', action: 'GetKeyPolicy' }, { KeyId: arn, PolicyName: 'default' });
    const document = policy.status === 200 ? (JSON.parse(String((JSON.parse(policy.body) as { Policy?: string }).Policy)) as PolicyDocument) : undefined;
    return { arn, tags: Object.fromEntries(tags.map((t) => [t.TagKey, t.TagValue])), policy: document };
  }

  async mappingFunction(uuid: string): Promise<string | undefined> {
    try {
      return (await this.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).FunctionArn;
    } catch {
      return undefined;
    }
  }
}
