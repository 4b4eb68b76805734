import { estimateStack, StackCost, sum } from './estimate';
import { Inventory } from './inventory';
import { FreeTierAllowance, PriceTable, pricesFor } from './prices';
import { PROFILE_SETTINGS, TrafficProfile } from './profile';

/** The whole app's estimate, as `npm run cost -- --json` prints it, and its text and README forms. */

export interface CostReport {
  readonly priceDate: string;
  readonly region: string;
  readonly profile: TrafficProfile;
  readonly stacks: Readonly<Record<string, StackCost>>;
  readonly totalIdleMonthlyUsd: number;
  readonly totalMonthlyUsd: number;
  /** Shown beside the figures, never subtracted from them. */
  readonly freeTier: readonly FreeTierAllowance[];
  readonly notCounted: readonly string[];
}

export const NOT_COUNTED: readonly string[] = [
  'data transfer out of AWS and between regions',
  'taxes and AWS Support plans',
  'free-tier allowances (listed, never subtracted)',
  'KMS requests of AWS managed keys (Kinesis and SQS encryption) and of alarm notifications',
  'reads: DynamoDB reads, the empty receives of Lambda\'s SQS pollers, Kinesis GetRecords (free)',
];

export interface StackInventory {
  readonly name: string;
  readonly inventory: Inventory;
}

export function buildReport(stacks: readonly StackInventory[], table: PriceTable, region: string, profile: TrafficProfile): CostReport {
  const prices = pricesFor(table, region);
  const costs: Record<string, StackCost> = {};
  for (const { name, inventory } of stacks) costs[name] = estimateStack(inventory, { prices, profile });
  const all = Object.values(costs);
  return {
    priceDate: table.priceDate,
    region,
    profile,
    stacks: costs,
    totalIdleMonthlyUsd: sum(all.map((s) => s.idleMonthlyUsd)),
    totalMonthlyUsd: sum(all.map((s) => s.monthlyUsd)),
    freeTier: table.freeTier,
    notCounted: NOT_COUNTED,
  };
}

/** The report with money rounded to the hundredth of a cent and quantities to 4 decimals. */
export function reportJson(report: CostReport): unknown {
  return JSON.parse(JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * 10_000) / 10_000 : value)));
}

export const usd = (value: number): string => `$${value.toFixed(2)}`;
const quantity = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 4 : 0 });

export function formatReport(report: CostReport): string {
  const out: string[] = [
    `Monthly cost estimate, ${report.region}, prices of ${report.priceDate} (pricing/prices.json)`,
    `Traffic profile: ${Object.entries(PROFILE_SETTINGS)
      .map(([name, s]) => `${s.env}=${report.profile[name as keyof TrafficProfile]}`)
      .join(' ')}`,
    '',
  ];
  for (const [name, stack] of Object.entries(report.stacks)) {
    out.push(`${name}: idle ${usd(stack.idleMonthlyUsd)}/month, at the profile ${usd(stack.monthlyUsd)}/month`);
    const rows: string[][] = [['address', 'price', 'idle qty', 'idle', 'qty', 'at profile', 'quantity basis']];
    for (const item of stack.items.filter((i) => !i.free)) {
      for (const line of item.lines) {
        rows.push([item.address, line.price, quantity(line.idleQuantity), usd(line.idleMonthlyUsd), quantity(line.quantity), usd(line.monthlyUsd), line.basis]);
      }
    }
    out.push(...alignRows(rows).map((r) => `  ${r}`));
    const free = new Map<string, Map<string, number>>();
    for (const item of stack.items.filter((i) => i.free)) {
      const types = free.get(item.free!) ?? new Map<string, number>();
      free.set(item.free!, types.set(item.type, (types.get(item.type) ?? 0) + 1));
    }
    for (const [reason, types] of free) out.push(`  free, ${reason}: ${[...types].map(([type, count]) => `${count} ${type}`).join(', ')}`);
    out.push('');
  }
  out.push(`Total: idle ${usd(report.totalIdleMonthlyUsd)}/month, at the profile ${usd(report.totalMonthlyUsd)}/month`, '');
  out.push('Free tier (per account and month; not subtracted above):');
  for (const f of report.freeTier) out.push(`  ${f.service}: ${f.allowance}`);
  out.push('', `Not counted: ${report.notCounted.join('; ')}.`);
  return out.join('\n');
}

function alignRows(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const rightAligned = new Set([2, 3, 4, 5]);
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

/** The README's table: each stack idle and at the profile, and the items that cost most. */
export function readmeTable(report: CostReport): string {
  const rows = ['| stack | idle, $/month | at the default profile, $/month | largest items at the profile |', '| --- | ---: | ---: | --- |'];
  for (const [name, stack] of Object.entries(report.stacks)) {
    const byType = new Map<string, number>();
    for (const item of stack.items) byType.set(item.type, (byType.get(item.type) ?? 0) + item.monthlyUsd);
    const top = [...byType].filter(([, v]) => v >= 0.005).sort((a, b) => b[1] - a[1]).slice(0, 3);
    rows.push(`| \`${name}\` | ${stack.idleMonthlyUsd.toFixed(2)} | ${stack.monthlyUsd.toFixed(2)} | ${top.map(([type, v]) => `${type} ${usd(v)}`).join(', ') || '—'} |`);
  }
  rows.push(`| **total** | **${report.totalIdleMonthlyUsd.toFixed(2)}** | **${report.totalMonthlyUsd.toFixed(2)}** | |`);
  return rows.join('\n');
}

const README_START = '<!-- cost:table -->';
const README_END = '<!-- /cost:table -->';

/** Replaces the README's generated cost table (between its markers) with `table`. */
export function embedCostTable(readme: string, table: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} region for the cost table.`);
  return `${readme.slice(0, start + README_START.length)}\n${table}\n${readme.slice(end)}`;
}
