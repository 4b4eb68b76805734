import { monthlyRequests, trafficFlow } from './flow';
import { Inventory } from './inventory';
import { describePrice, PriceKey, RegionPrices } from './prices';
import { TrafficProfile } from './profile';
import { FREE_TYPES, LineSpec, RULES, UnpricedError } from './rules';

/**
 * A stack's monthly cost twice over: idle (no requests; what it costs to have deployed) and at the
 * traffic profile, from one set of rules, so each line's idle and busy figures come from the same
 * price and differ only in quantity.
 */

export interface CostLine {
  readonly dimension: PriceKey;
  /** "$0.015 per shard-hour". */
  readonly price: string;
  readonly source: string;
  readonly idleQuantity: number;
  readonly quantity: number;
  readonly basis: string;
  readonly idleMonthlyUsd: number;
  readonly monthlyUsd: number;
}

export interface CostItem {
  readonly address: string;
  readonly type: string;
  readonly idleMonthlyUsd: number;
  readonly monthlyUsd: number;
  readonly lines: readonly CostLine[];
  /** Why a resource costs nothing by itself (then `lines` is empty). */
  readonly free?: string;
}

export interface StackCost {
  readonly idleMonthlyUsd: number;
  readonly monthlyUsd: number;
  readonly items: readonly CostItem[];
}

export interface EstimateInput {
  readonly prices: RegionPrices;
  readonly profile: TrafficProfile;
}

export function estimateStack(inventory: Inventory, { prices, profile }: EstimateInput): StackCost {
  const hoursPerMonth = prices.hoursPerMonth;
  const idle = { inventory, flow: trafficFlow(inventory, 0, profile, hoursPerMonth), profile, hoursPerMonth };
  const busy = { ...idle, flow: trafficFlow(inventory, monthlyRequests(profile, hoursPerMonth), profile, hoursPerMonth) };
  const items: CostItem[] = [];
  for (const resource of [...inventory.resources].sort((a, b) => a.address.localeCompare(b.address))) {
    const rule = RULES[resource.type];
    if (!rule) {
      const free = FREE_TYPES[resource.type];
      if (free === undefined) throw new UnpricedError(resource.address, `type ${resource.type}`);
      items.push({ address: resource.address, type: resource.type, idleMonthlyUsd: 0, monthlyUsd: 0, lines: [], free });
      continue;
    }
    const idleLines = rule(resource, idle);
    const lines = rule(resource, busy).map((line, i) => costLine(line, idleLines[i], prices));
    items.push({ address: resource.address, type: resource.type, idleMonthlyUsd: sum(lines.map((l) => l.idleMonthlyUsd)), monthlyUsd: sum(lines.map((l) => l.monthlyUsd)), lines });
  }
  return { idleMonthlyUsd: sum(items.map((i) => i.idleMonthlyUsd)), monthlyUsd: sum(items.map((i) => i.monthlyUsd)), items };
}

function costLine(busy: LineSpec, idle: LineSpec | undefined, prices: RegionPrices): CostLine {
  if (!idle || idle.priceKey !== busy.priceKey) throw new Error(`Pricing rule for ${busy.priceKey} returned different lines idle and busy.`);
  const price = prices.prices[busy.priceKey];
  const usd = (quantity: number): number => (quantity / price.per) * price.usd;
  return {
    dimension: busy.priceKey,
    price: describePrice(price),
    source: price.source,
    idleQuantity: idle.quantity,
    quantity: busy.quantity,
    basis: busy.basis,
    idleMonthlyUsd: usd(idle.quantity),
    monthlyUsd: usd(busy.quantity),
  };
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
