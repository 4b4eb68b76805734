import { estimateStack, StackCost } from './estimate';
import { inventoryFromValues, Link, PricedResource } from './inventory';
import { RegionPrices } from './prices';
import { TrafficProfile } from './profile';

/**
 * The monthly cost change of one stack's saved plan: the stack priced as it is (every resource's
 * `before` in resource_changes) and as it would be (every `after`), by the same rules as
 * `npm run cost`. Values Terraform knows only after apply (the ARN of a function being created)
 * are absent from `after`; the plan's configuration still names what each attribute references,
 * so those links come from there.
 * Format: https://developer.hashicorp.com/terraform/internals/json-format (unknown values are left
 * out of `after` and flagged in `after_unknown`; `configuration` keeps each expression's references).
 */

/** The parts of `terraform show -json` this reads. */
export interface CostedPlan {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly mode: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[]; readonly before?: Readonly<Record<string, unknown>> | null; readonly after?: Readonly<Record<string, unknown>> | null };
  }[];
  readonly configuration?: {
    readonly provider_config?: Readonly<Record<string, { readonly expressions?: Readonly<Record<string, { readonly constant_value?: unknown }>> }>>;
    readonly root_module?: { readonly resources?: readonly { readonly address: string; readonly expressions?: Readonly<Record<string, unknown>> }[] };
  };
}

export interface PlanCostChange {
  readonly before: StackCost;
  readonly after: StackCost;
  /** Resources whose cost changes, with before and after figures (0 where absent). */
  readonly items: readonly { readonly address: string; readonly idleBefore: number; readonly idleAfter: number; readonly before: number; readonly after: number }[];
}

/** The region the plan's AWS provider is configured with, if it says. */
export function planRegion(plan: CostedPlan): string | undefined {
  const region = plan.configuration?.provider_config?.aws?.expressions?.region?.constant_value;
  return typeof region === 'string' ? region : undefined;
}

export function planCostChange(plan: CostedPlan, prices: RegionPrices, profile: TrafficProfile): PlanCostChange {
  const side = (key: 'before' | 'after'): PricedResource[] =>
    (plan.resource_changes ?? [])
      .filter((c) => c.mode === 'managed' && c.change[key])
      .map((c) => ({ address: c.address, type: c.type, values: c.change[key]! }));
  const before = estimateStack(inventoryFromValues(side('before')), { prices, profile });
  const after = estimateStack(inventoryFromValues(side('after'), configurationLinks(plan)), { prices, profile });
  const figures = new Map<string, { idleBefore: number; idleAfter: number; before: number; after: number }>();
  const entry = (address: string) => figures.get(address) ?? figures.set(address, { idleBefore: 0, idleAfter: 0, before: 0, after: 0 }).get(address)!;
  for (const item of before.items) Object.assign(entry(item.address), { idleBefore: item.idleMonthlyUsd, before: item.monthlyUsd });
  for (const item of after.items) Object.assign(entry(item.address), { idleAfter: item.idleMonthlyUsd, after: item.monthlyUsd });
  const changed = [...figures]
    .map(([address, f]) => ({ address, ...f }))
    .filter((f) => Math.abs(f.after - f.before) >= 0.005 || Math.abs(f.idleAfter - f.idleBefore) >= 0.005);
  return { before, after, items: changed };
}

/** `references` of every expression in the plan's configuration, as links by top-level attribute. */
export function configurationLinks(plan: CostedPlan): Link[] {
  const links: Link[] = [];
  for (const resource of plan.configuration?.root_module?.resources ?? []) {
    for (const [attribute, expression] of Object.entries(resource.expressions ?? {})) {
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!node || typeof node !== 'object') return;
        const { references } = node as { references?: unknown };
        if (Array.isArray(references)) {
          for (const ref of references) {
            const match = typeof ref === 'string' ? /^(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/.exec(ref) : null;
            const duplicate = links.some((l) => l.from === resource.address && l.to === match?.[1] && l.attribute === attribute);
            if (match && match[1] !== resource.address && !duplicate) links.push({ from: resource.address, to: match[1], attribute });
          }
        }
        Object.values(node).forEach(walk);
      };
      walk(expression);
    }
  }
  return links;
}
