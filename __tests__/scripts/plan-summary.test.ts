import { planCostChange } from '../../scripts/lib/cost/plan';
import { loadPriceTable, pricesFor } from '../../scripts/lib/cost/prices';
import { DEFAULT_PROFILE } from '../../scripts/lib/cost/profile';
import { actionOf, countChanges, PlanJson, ResourceChange, statefulRisks, SUMMARY_MARKER, summarizePlans } from '../../scripts/lib/plan-summary';
import { costedPlan } from '../support/costed-plan';

/**
 * The summary's rules on Terraform's JSON plan format (resource_changes[].change.actions).
 * The same functions run on real plans against the emulator in local-cycle.test.ts.
 */
const change = (address: string, actions: string[], extra: Partial<ResourceChange> = {}): ResourceChange => ({
  address,
  mode: 'managed',
  type: address.split('.')[0],
  change: { actions },
  ...extra,
});

describe('actionOf', () => {
  it.each([
    [['create'], 'add'],
    [['update'], 'change'],
    [['delete'], 'destroy'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['no-op'], undefined],
    [['read'], undefined],
  ])('%j is %s', (actions, expected) => {
    expect(actionOf(change('aws_sqs_queue.q', actions))).toBe(expected);
  });

  it('ignores data sources', () => {
    expect(actionOf(change('data.aws_iam_policy_document.d', ['read'], { mode: 'data', type: 'aws_iam_policy_document' }))).toBeUndefined();
  });
});

describe('summarizePlans', () => {
  const plan: PlanJson = {
    resource_changes: [
      change('aws_dynamodb_table.Events', ['delete', 'create'], { action_reason: 'replace_because_cannot_update' }),
      change('aws_sqs_queue.Old', ['delete'], { action_reason: 'delete_because_no_resource_config' }),
      change('aws_lambda_function.Fn', ['update']),
      change('aws_iam_role.R', ['delete', 'create']),
      change('aws_cloudwatch_log_group.L', ['create']),
      change('aws_kinesis_stream.S', ['no-op']),
    ],
  };

  it('counts add, change, destroy and replace per stack', () => {
    expect(countChanges(plan)).toEqual({ add: 1, change: 1, destroy: 1, replace: 2 });
  });

  it('flags only replacements and deletions of stateful resources', () => {
    expect(statefulRisks([{ stack: 'webhook', plan }]).map((r) => `${r.action} ${r.address}`)).toEqual([
      'replace aws_dynamodb_table.Events',
      'destroy aws_sqs_queue.Old',
    ]);
  });

  it('puts the flags in bold above the per-stack tables, with the reason', () => {
    const md = summarizePlans([{ stack: 'webhook', plan }, { stack: 'state-backend', skipped: 'its state is a local file' }]);
    expect(md.startsWith(SUMMARY_MARKER)).toBe(true);
    const replaced = '- **webhook: `aws_dynamodb_table.Events` would be REPLACED** (a changed argument forces a new resource)';
    const deleted = '- **webhook: `aws_sqs_queue.Old` would be DELETED** (it was removed from the code)';
    expect(md).toContain(replaced);
    expect(md).toContain(deleted);
    expect(md.indexOf(deleted)).toBeLessThan(md.indexOf('### webhook'));
    expect(md).toContain('| 1 | 1 | 1 | 2 |');
    expect(md).toContain('_Not planned: its state is a local file._');
    expect(md).not.toContain('aws_kinesis_stream.S');
  });

  it('says so when nothing stateful is at risk', () => {
    const md = summarizePlans([{ stack: 'quiet', plan: { resource_changes: [change('aws_lambda_function.Fn', ['update'])] } }]);
    expect(md).toContain('No stateful resource');
    expect(md).not.toContain('**');
  });
});

describe('the diagram of where changes land', () => {
  // A synthesized stack, as cdk.tf.json holds it: a function with its role, writing to a table.
  const config = {
    resource: {
      aws_lambda_function: { Fn_11111111: { function_name: 'worker', role: '${aws_iam_role.Role_22222222.arn}' } },
      aws_iam_role: { Role_22222222: { name: 'worker-role' } },
      aws_dynamodb_table: { Events_33333333: { name: 'events' } },
    },
  };

  it('draws the stack with the changed nodes marked, the legend beneath', () => {
    const plan: PlanJson = {
      resource_changes: [
        change('aws_iam_role.Role_22222222', ['update']),
        change('aws_dynamodb_table.Events_33333333', ['delete', 'create']),
        change('aws_sqs_queue.Gone_44444444', ['delete'], { change: { actions: ['delete'], before: { name: 'old-queue' } } }),
      ],
    };
    const md = summarizePlans([{ stack: 'webhook', plan, config }]);
    const diagram = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));
    expect(diagram).toContain('Fn_11111111(["✏️ Lambda function<br/>worker"])');
    expect(diagram).toContain('Events_33333333[("♻️ DynamoDB table<br/>events")]');
    expect(diagram).toContain('Gone_44444444["🗑️ aws_sqs_queue<br/>old-queue"]');
    expect(md).toContain('➕ added · ✏️ changed · ♻️ replaced · 🗑️ destroyed');
    expect(md.indexOf('```mermaid')).toBeGreaterThan(md.indexOf('### webhook'));
  });

  it('is left out for a stack without changes, and without its configuration', () => {
    expect(summarizePlans([{ stack: 'quiet', plan: { resource_changes: [] }, config }])).not.toContain('mermaid');
    expect(summarizePlans([{ stack: 'webhook', plan: { resource_changes: [change('aws_lambda_function.Fn_11111111', ['update'])] } }])).not.toContain('mermaid');
  });
});

describe('the monthly cost change beside each changed stack', () => {
  const cost = planCostChange(costedPlan, pricesFor(loadPriceTable(), 'us-east-1'), DEFAULT_PROFILE);

  it('shows idle and at-profile figures before and after, and the resources that change them', () => {
    const md = summarizePlans([{ stack: 'jobs', plan: costedPlan as PlanJson, cost }]);
    expect(md).toContain('**Monthly cost** (`npm run cost` rules): idle $10.95 → $21.90 (+$10.95) · at the traffic profile $11.26 → $22.74 (+$11.48)');
    expect(md).toContain('| `aws_kinesis_stream.Stream` | $10.95 → $21.90 (+$10.95) | $10.95 → $21.90 (+$10.95) |');
    expect(md).toContain('| `aws_lambda_function.Worker` | $0.00 → $0.00 (+$0.00) | $0.00 → $0.16 (+$0.16) |');
  });

  it('says why when the cost could not be estimated', () => {
    const md = summarizePlans([{ stack: 'jobs', plan: costedPlan as PlanJson, costUnavailable: 'No prices for region ap-south-1.' }]);
    expect(md).toContain('_Monthly cost not estimated: No prices for region ap-south-1._');
  });
});
