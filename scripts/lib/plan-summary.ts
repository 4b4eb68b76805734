import { PlanCostChange } from './cost/plan';
import { buildGraph, TerraformJson } from './diagram-graph';
import { CHANGE_STYLES, DiagramChange, renderMermaid } from './diagram-mermaid';

/**
 * Turns `terraform show -json <planfile>` output of every stack into one Markdown summary for a
 * pull request: the replacements and deletions of stateful resources first, in bold (they lose
 * data), then a table of what each stack adds, changes, destroys and replaces, and the stack's
 * diagram (the one `npm run diagrams` draws) with the changed nodes marked.
 *
 * Pure: no I/O, so it is tested on real plan JSON without running anything.
 */

/** The part of Terraform's JSON plan format this summary reads. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
}

export interface ResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    /** The resource's attributes before the change (null for a create). */
    readonly before?: Readonly<Record<string, unknown>> | null;
  };
  readonly action_reason?: string;
}

export interface StackPlan {
  readonly stack: string;
  /** The parsed plan; absent when the stack was not planned (then `skipped` says why). */
  readonly plan?: PlanJson;
  readonly skipped?: string;
  /** The stack's synthesized Terraform (`cdk.tf.json`); when given, the summary draws where the changes land. */
  readonly config?: TerraformJson;
  /** The plan's monthly cost change (scripts/lib/cost/plan.ts); when given, shown above the diagram. */
  readonly cost?: PlanCostChange;
  /** Why the cost change could not be estimated (e.g. no prices for the region). */
  readonly costUnavailable?: string;
}

export interface ChangeCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
}

export type Action = keyof ChangeCounts;

/** Resources whose replacement or deletion loses data (or, for the state bucket, every stack's state). */
export const STATEFUL_TYPES: readonly string[] = [
  'aws_dynamodb_table',
  'aws_kinesis_stream',
  'aws_sqs_queue',
  'aws_secretsmanager_secret',
  'aws_s3_bucket',
  'aws_cloudwatch_log_group',
];

/** Marks the PR comment, so the workflow updates its own comment instead of adding another. */
export const SUMMARY_MARKER = '<!-- serverless-pipelines:plan-summary -->';

/** What one resource change does, in the summary's terms; undefined for no-ops and reads. */
export function actionOf(change: ResourceChange): Action | undefined {
  if (change.mode !== 'managed') return undefined;
  const actions = [...change.change.actions].sort().join(',');
  switch (actions) {
    case 'create':
      return 'add';
    case 'update':
      return 'change';
    case 'delete':
      return 'destroy';
    case 'create,delete':
      return 'replace';
    default:
      return undefined;
  }
}

export function countChanges(plan: PlanJson): ChangeCounts {
  const counts = { add: 0, change: 0, destroy: 0, replace: 0 };
  for (const change of plan.resource_changes ?? []) {
    const action = actionOf(change);
    if (action) counts[action] += 1;
  }
  return counts;
}

export interface StatefulRisk {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly action: 'destroy' | 'replace';
  readonly reason?: string;
}

/** Every replacement or deletion of a stateful resource, in stack order. */
export function statefulRisks(plans: readonly StackPlan[]): StatefulRisk[] {
  const risks: StatefulRisk[] = [];
  for (const { stack, plan } of plans) {
    for (const change of plan?.resource_changes ?? []) {
      const action = actionOf(change);
      if ((action === 'destroy' || action === 'replace') && STATEFUL_TYPES.includes(change.type)) {
        risks.push({ stack, address: change.address, type: change.type, action, reason: change.action_reason });
      }
    }
  }
  return risks;
}

const REASONS: Readonly<Record<string, string>> = {
  replace_because_cannot_update: 'a changed argument forces a new resource',
  replace_by_request: 'replacement was requested (-replace)',
  replace_because_tainted: 'the resource is tainted',
  delete_because_no_resource_config: 'it was removed from the code',
};

/** The whole Markdown summary. */
export function summarizePlans(plans: readonly StackPlan[]): string {
  const lines: string[] = [SUMMARY_MARKER, '## Terraform plan', ''];
  const risks = statefulRisks(plans);
  if (risks.length > 0) {
    lines.push(`**⚠️ ${risks.length} stateful resource${risks.length === 1 ? '' : 's'} would be replaced or deleted (data loss):**`, '');
    for (const risk of risks) {
      const verb = risk.action === 'replace' ? 'REPLACED' : 'DELETED';
      const why = risk.reason && REASONS[risk.reason] ? ` (${REASONS[risk.reason]})` : '';
      lines.push(`- **${risk.stack}: \`${risk.address}\` would be ${verb}**${why}`);
    }
  } else {
    lines.push('No stateful resource (table, stream, queue, secret, bucket, log group) is replaced or deleted.');
  }
  lines.push('');

  for (const { stack, plan, skipped, config, cost, costUnavailable } of plans) {
    lines.push(`### ${stack}`, '');
    if (!plan) {
      lines.push(`_Not planned: ${skipped ?? 'no plan'}._`, '');
      continue;
    }
    const counts = countChanges(plan);
    lines.push('| to add | to change | to destroy | to replace |', '| ---: | ---: | ---: | ---: |');
    lines.push(`| ${counts.add} | ${counts.change} | ${counts.destroy} | ${counts.replace} |`, '');
    const changed = (plan.resource_changes ?? []).filter((c) => actionOf(c) !== undefined);
    if (changed.length === 0) {
      lines.push('No changes.', '');
      continue;
    }
    if (cost) lines.push(...costChange(cost));
    else if (costUnavailable) lines.push(`_Monthly cost not estimated: ${costUnavailable}_`, '');
    if (config) lines.push(...changeDiagram(config, changed));
    lines.push('<details><summary>Resources</summary>', '');
    for (const change of changed) lines.push(`- ${actionOf(change)}: \`${change.address}\``);
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

/** The stack's diagram with each changed resource marked on the node it is drawn as or folded into. */
export function changeDiagram(config: TerraformJson, changed: readonly ResourceChange[]): string[] {
  const changes: DiagramChange[] = changed.map((c) => ({ address: c.address, action: actionOf(c)!, name: nameOf(c) }));
  const legend = (Object.keys(CHANGE_STYLES) as (keyof typeof CHANGE_STYLES)[]).map((a) => `${CHANGE_STYLES[a].marker} ${CHANGE_STYLES[a].word}`).join(' · ');
  return ['```mermaid', renderMermaid(buildGraph(config), changes), '```', '', `_${legend}: a node is marked when it, or a role, policy, log group or other resource folded into it, changes._`, ''];
}

/** The name a destroyed resource had, to label it in the diagram. */
function nameOf(change: ResourceChange): string | undefined {
  const before = change.change.before ?? {};
  for (const key of ['name', 'function_name', 'bucket', 'dashboard_name']) {
    if (typeof before[key] === 'string') return before[key] as string;
  }
  return undefined;
}

const money = (usd: number): string => `$${usd.toFixed(2)}`;
const delta = (before: number, after: number): string => `${money(before)} → ${money(after)} (${after - before < 0 ? '−' : '+'}${money(Math.abs(after - before))})`;

/** The stack's monthly cost before and after the plan, idle and at the traffic profile, and what changes it. */
export function costChange(cost: PlanCostChange): string[] {
  const lines = [
    `**Monthly cost** (\`npm run cost\` rules): idle ${delta(cost.before.idleMonthlyUsd, cost.after.idleMonthlyUsd)} · at the traffic profile ${delta(cost.before.monthlyUsd, cost.after.monthlyUsd)}`,
    '',
  ];
  if (cost.items.length === 0) return lines;
  lines.push('<details><summary>Cost by resource</summary>', '', '| resource | idle | at the profile |', '| --- | ---: | ---: |');
  for (const item of cost.items) lines.push(`| \`${item.address}\` | ${delta(item.idleBefore, item.idleAfter)} | ${delta(item.before, item.after)} |`);
  lines.push('', '</details>', '');
  return lines;
}
