import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { emulatorClient } from '../../local/aws/clients';
import { loadConfig } from '../../lib/config';
import { deployerPolicies, PolicyDocument } from '../../lib/deployer-policy';

/**
 * An IAM user in the emulator that holds only the shipped deployer policy of one environment (its
 * documents as managed policies, attached together, as the README tells), created with the
 * emulator's root key. Its access key signs what the deployer gate lets through.
 */
export const EMULATOR_ACCOUNT = '123456789012';

export interface DeployerUser {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Replaces the policies with the shipped ones less `action` (a new default version of each). */
  withdraw(action: string): Promise<void>;
  /** Back to the shipped policies. */
  restore(): Promise<void>;
}

export async function createDeployerUser(endpoint: string, environment = 'dev'): Promise<DeployerUser> {
  const config = loadConfig({ env: { PIPELINES_ENV: environment } });
  const iam = emulatorClient(IAMClient, { endpoint, region: config.region });
  const UserName = `sp-${environment}-deployer`;
  const shipped = deployerPolicies({ ...config, account: EMULATOR_ACCOUNT });
  await iam.send(new CreateUserCommand({ UserName }));
  const arns: string[] = [];
  for (const [index, document] of shipped.entries()) {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `${UserName}-${index + 1}`, PolicyDocument: JSON.stringify(document) }));
    await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn: Policy!.Arn! }));
    arns.push(Policy!.Arn!);
  }
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
  const setDocuments = async (documents: readonly PolicyDocument[]) => {
    for (const [index, document] of documents.entries()) {
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arns[index], PolicyDocument: JSON.stringify(document), SetAsDefault: true }));
    }
  };
  return {
    accessKeyId: AccessKey!.AccessKeyId!,
    secretAccessKey: AccessKey!.SecretAccessKey!,
    withdraw: (action) => setDocuments(shipped.map((document) => without(document, action))),
    restore: () => setDocuments(shipped),
  };
}

function without(document: PolicyDocument, action: string): PolicyDocument {
  const statements = document.Statement.map((s) => ({ ...s, Action: (s.Action as string[]).filter((a) => a !== action) })).filter((s) => s.Action.length > 0);
  return { ...document, Statement: statements };
}
