import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../../../lib/bundling';

/**
 * The dated price table (pricing/prices.json): one price per billing dimension and region, each
 * with the AWS pricing page it was read from. Loaded and checked once; a missing region or price
 * stops the estimate instead of pricing something at zero.
 */

export const PRICE_FILE = path.join(PROJECT_ROOT, 'pricing', 'prices.json');

/** Every billing dimension the pricing rules use; the table must give each one in every region. */
export const PRICE_KEYS = [
  'kms.key',
  'kms.requests',
  'kinesis.shardHour',
  'kinesis.putPayloadUnits',
  'kinesis.extendedRetentionShardHour',
  'dynamodb.writeRequestUnits',
  'dynamodb.storage',
  'dynamodb.pitrStorage',
  'dynamodb.changeDataCaptureUnits',
  'lambda.requests',
  'lambda.arm64GbSecond',
  'lambda.x86GbSecond',
  'apigateway.restRequests',
  'apigateway.httpRequests',
  'sqs.standardRequests',
  'secretsmanager.secret',
  'secretsmanager.apiCalls',
  'sns.publishes',
  'cloudwatch.alarmMetric',
  'cloudwatch.highResolutionAlarmMetric',
  'cloudwatch.dashboard',
  'cloudwatch.metric',
  'logs.ingestion',
  'logs.storage',
  'xray.traces',
  's3.standardStorage',
] as const;

export type PriceKey = (typeof PRICE_KEYS)[number];

/** `usd` buys `per` units, e.g. $0.20 per 1,000,000 requests. */
export interface Price {
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  /** The AWS pricing page the figure was read from. */
  readonly source: string;
}

export interface FreeTierAllowance {
  readonly service: string;
  readonly allowance: string;
  readonly source: string;
}

export interface PriceTable {
  readonly priceDate: string;
  readonly dateNote: string;
  readonly hoursPerMonth: number;
  readonly regions: Readonly<Record<string, Readonly<Record<PriceKey, Price>>>>;
  readonly freeTier: readonly FreeTierAllowance[];
}

/** The prices of one region. */
export interface RegionPrices {
  readonly region: string;
  readonly priceDate: string;
  readonly hoursPerMonth: number;
  readonly prices: Readonly<Record<PriceKey, Price>>;
}

export function loadPriceTable(file: string = PRICE_FILE): PriceTable {
  const table = JSON.parse(fs.readFileSync(file, 'utf8')) as PriceTable;
  const problems = priceTableProblems(table);
  if (problems.length > 0) {
    throw new Error(`${path.relative(PROJECT_ROOT, file)} is not a usable price table:\n  - ${problems.join('\n  - ')}\nFix: correct the file (every price needs usd, per, unit and an https source).`);
  }
  return table;
}

/** Everything wrong with a price table, so one run lists every fix. */
export function priceTableProblems(table: PriceTable): string[] {
  const problems: string[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(table.priceDate))) problems.push(`priceDate ${JSON.stringify(table.priceDate)} is not YYYY-MM-DD`);
  if (!(table.hoursPerMonth > 0)) problems.push('hoursPerMonth must be a positive number (AWS bills a month as 730 hours)');
  if (Object.keys(table.regions ?? {}).length === 0) problems.push('regions is empty');
  for (const [region, prices] of Object.entries(table.regions ?? {})) {
    for (const key of PRICE_KEYS) {
      const price = prices[key];
      if (!price) problems.push(`${region} has no price for ${key}`);
      else if (!(price.usd >= 0) || !(price.per > 0) || !price.unit || !/^https:\/\//.test(price.source ?? '')) {
        problems.push(`${region} ${key} needs usd >= 0, per > 0, a unit and an https source`);
      }
    }
  }
  return problems;
}

/** The prices of `region`; a region the table lacks is an error naming the regions it has. */
export function pricesFor(table: PriceTable, region: string): RegionPrices {
  const prices = table.regions[region];
  if (!prices) {
    const known = Object.keys(table.regions).join(', ');
    throw new Error(
      `No prices for region ${region} in pricing/prices.json, which has ${known}. Fix: estimate one of those (PIPELINES_REGION=${Object.keys(table.regions)[0]}), or add ${region}'s prices to the table with their sources.`,
    );
  }
  return { region, priceDate: table.priceDate, hoursPerMonth: table.hoursPerMonth, prices };
}

/** "$0.20 per 1M requests". */
export function describePrice(price: Price): string {
  const per = price.per === 1 ? '' : `${price.per >= 1_000_000 ? `${price.per / 1_000_000}M` : price.per >= 1000 ? `${price.per / 1000}k` : price.per} `;
  const decimals = Math.max(2, (String(price.usd).split('.')[1] ?? '').length);
  return `$${price.usd.toFixed(decimals)} per ${per}${price.unit}`;
}
