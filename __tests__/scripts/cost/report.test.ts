import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { PROJECT_ROOT } from '../../../lib/bundling';
import { estimateSynthesis } from '../../../scripts/lib/cost/app';
import { inventoryFromConfig, SynthesizedConfig } from '../../../scripts/lib/cost/inventory';
import { loadPriceTable } from '../../../scripts/lib/cost/prices';
import { DEFAULT_PROFILE } from '../../../scripts/lib/cost/profile';
import { buildReport, CostReport, embedCostTable, formatReport, readmeTable, reportJson } from '../../../scripts/lib/cost/report';
import { allStacks } from '../../support/all-stacks';
import { appSynthesis } from '../../support/app-synthesis';

/** The whole app priced as `npm run cost` prices it (default settings, synthesized as `npm run synth` does). */
let report: CostReport;
beforeAll(() => {
  report = estimateSynthesis(appSynthesis(), {});
}, 180_000);

const idleByType = (type: string): { usd: number; count: number } => {
  const items = Object.values(report.stacks).flatMap((s) => s.items.filter((i) => i.type === type));
  return { usd: items.reduce((sum, i) => sum + i.idleMonthlyUsd, 0), count: items.length };
};

describe('npm run cost', () => {
  it('prints JSON of the documented shape (pricing/cost-report.schema.json)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'pricing', 'cost-report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const json = reportJson(report);
    expect(validate.errors ?? validate(json)).toBe(true);
    expect(json).toMatchObject({ priceDate: loadPriceTable().priceDate, region: 'us-east-1' });
    expect(Object.keys(report.stacks)).toEqual([...allStacks().keys()]);
  });

  it('adds up: each stack is the sum of its items, the total the sum of the stacks', () => {
    for (const stack of Object.values(report.stacks)) {
      expect(stack.monthlyUsd).toBeCloseTo(stack.items.reduce((sum, i) => sum + i.monthlyUsd, 0), 10);
      expect(stack.monthlyUsd).toBeGreaterThanOrEqual(stack.idleMonthlyUsd);
    }
    expect(report.totalIdleMonthlyUsd).toBeCloseTo(Object.values(report.stacks).reduce((sum, s) => sum + s.idleMonthlyUsd, 0), 10);
  });

  it('names the address, price and quantity of every line, lists free resources with the reason and the free tier apart', () => {
    const text = formatReport(report);
    expect(text).toMatch(/aws_kinesis_stream\.Changes_Stream_F879D394\s+\$0\.015 per shard-hour\s+730\s+\$10\.95\s+730\s+\$10\.95\s+1 shard\(s\) × 730 h/);
    expect(text).toContain('free, IAM is free:');
    expect(text).toContain('Free tier (per account and month; not subtracted above):');
    expect(text).toMatch(/^Total: idle \$\d+\.\d\d\/month, at the profile \$\d+\.\d\d\/month$/m);
  });

  it('is what the README says the default dev environment costs', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(embedCostTable(readme, readmeTable(report))).toBe(readme);
  });

  it('is dominated idle by what the README names: 4 Kinesis shards, then 5 dashboards, 6 KMS keys and 40 alarms', () => {
    const shards = idleByType('aws_kinesis_stream');
    const dashboards = idleByType('aws_cloudwatch_dashboard');
    const keys = idleByType('aws_kms_key');
    const alarms = idleByType('aws_cloudwatch_metric_alarm');
    expect([shards.count, dashboards.count, keys.count, alarms.count]).toEqual([4, 5, 6, 40]);
    expect(shards.usd).toBeCloseTo(4 * 10.95, 10);
    expect(shards.usd).toBeGreaterThan(dashboards.usd);
    expect(dashboards.usd).toBeGreaterThan(keys.usd);
    expect(keys.usd).toBeGreaterThan(alarms.usd);
    const metrics = report.stacks['apigw-lambda-dynamodb-customers'].items.find((i) => i.type === 'aws_api_gateway_method_settings')!;
    expect(metrics.lines[0]).toMatchObject({ dimension: 'cloudwatch.metric', idleQuantity: 0, quantity: 50 });
  });

  it('adds most at the default profile where the README says: detailed API metrics, then X-Ray traces', () => {
    const added = new Map<string, number>();
    for (const item of Object.values(report.stacks).flatMap((st) => st.items)) {
      for (const line of item.lines) added.set(line.dimension, (added.get(line.dimension) ?? 0) + line.monthlyUsd - line.idleMonthlyUsd);
    }
    const ranked = [...added].sort((a, b) => b[1] - a[1]).map(([dimension]) => dimension);
    expect(ranked.slice(0, 2)).toEqual(['cloudwatch.metric', 'xray.traces']);
  });

  it('refuses a region the price table lacks, naming the ones it has', () => {
    const stacks = [...allStacks()].map(([name, tf]) => ({ name, inventory: inventoryFromConfig(tf as SynthesizedConfig) }));
    expect(() => buildReport(stacks, loadPriceTable(), 'ap-south-1', DEFAULT_PROFILE)).toThrow(/No prices for region ap-south-1 .* which has us-east-1, eu-west-1/);
  });
});
