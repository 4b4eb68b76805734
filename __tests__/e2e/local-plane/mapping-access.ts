import { GetRolePolicyCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { webhookLoad } from '../../../scripts/lib/load-pipelines';
import { eventually } from '../../../scripts/lib/smoke-runner';
import { parseDocument } from '../../../local/iam/identity-policies';
import { PlaneSuite } from './context';

/**
 * Event source mappings read as the function's execution role (issue 19, item 4): with
 * sqs:ReceiveMessage taken from the webhook consumer's role, its mapping stops with SQS's refusal
 * and a submission waits in the queue; with the permission back, it is stored.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
 */
interface Statement {
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

export const mappingAccess: PlaneSuite = (context) => {
  describe('event source mappings read as the execution role', () => {
    it('stops the webhook\'s SQS mapping with SQS\'s AccessDenied while its role lacks sqs:ReceiveMessage, and stores the waiting submission once it is back', async () => {
      const iam = new IAMClient(context().target.clientConfig);
      let consumer: { role: string; document: { Statement: Statement[] } } | undefined;
      for (const r of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
        const policy = await iam.send(new GetRolePolicyCommand({ RoleName: r.RoleName!, PolicyName: 'permissions' })).catch(() => undefined);
        const document = policy?.PolicyDocument ? (parseDocument(policy.PolicyDocument) as unknown as { Statement: Statement[] }) : undefined;
        if (document?.Statement.some((s) => ([] as string[]).concat(s.Action).includes('sqs:ReceiveMessage'))) consumer = { role: r.RoleName!, document };
      }
      if (!consumer) throw new Error('No role\'s "permissions" policy grants sqs:ReceiveMessage (the webhook consumer\'s)');
      const { role, document } = consumer;
      const queueArn = String(([] as string[]).concat(document.Statement.find((s) => ([] as string[]).concat(s.Action).includes('sqs:ReceiveMessage'))!.Resource)[0]);
      const withoutReceive = { ...document, Statement: document.Statement.map((s) => ({ ...s, Action: ([] as string[]).concat(s.Action).filter((a) => a !== 'sqs:ReceiveMessage') })) };
      const putPolicy = (policy: object) => iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'permissions', PolicyDocument: JSON.stringify(policy) }));
      const mapping = () => context().plane.eventSourceMappings().find((m) => m.eventSourceArn === queueArn);
      expect(mapping()).toBeDefined();
      const webhook = await webhookLoad(context().target, `mapping-access-${Date.now()}`);
      await putPolicy(withoutReceive);
      try {
        const refused = await eventually('the refusal (after the policy cache)', 20_000, async () => (mapping()?.lastProcessingResult.startsWith('PROBLEM') ? mapping() : undefined));
        expect(refused!.lastProcessingResult).toMatch(new RegExp(`^PROBLEM: AccessDenied(Exception)?: User: arn:aws:sts::\\d{12}:assumed-role/${role}/[^ ]+ is not authorized to perform: sqs:ReceiveMessage on resource: ${queueArn}`));
        expect(await webhook.send(0)).toBe(200);
        expect(await webhook.lost(4000)).toMatchObject({ accepted: 1, lost: 1 });
      } finally {
        await putPolicy(document);
      }
      expect(await webhook.lost(30_000)).toEqual({ accepted: 1, lost: 0 });
      expect(mapping()?.lastProcessingResult).toBe('OK');
      await webhook.cleanup();
    }, 120_000);
  });
};
