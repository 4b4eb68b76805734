import { loadPriceTable, PRICE_KEYS, PriceTable, priceTableProblems, pricesFor, describePrice } from '../../../scripts/lib/cost/prices';

describe('the committed price table', () => {
  const table = loadPriceTable();

  it('is dated and prices every dimension in us-east-1 and eu-west-1, each with its AWS pricing page', () => {
    expect(table.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const key of PRICE_KEYS) expect(table.regions[region][key].source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9-]+(\/[a-z0-9-]+)*\/pricing\/([a-z-]+\/)?$/);
    }
    expect(priceTableProblems(table)).toEqual([]);
  });

  it('lists the free tier separately, per service', () => {
    expect(table.freeTier.map((f) => f.service)).toEqual(expect.arrayContaining(['Lambda', 'CloudWatch', 'KMS', 'API Gateway']));
  });

  it('refuses a region it has no prices for, naming the regions it has', () => {
    expect(() => pricesFor(table, 'ap-south-1')).toThrow('No prices for region ap-south-1 in pricing/prices.json, which has us-east-1, eu-west-1.');
  });

  it('lists every problem of a broken table at once', () => {
    const broken = { ...table, priceDate: 'today', regions: { 'us-east-1': { ...table.regions['us-east-1'], 'kms.key': undefined, 'sqs.standardRequests': { usd: 0.4, per: 1e6, unit: 'requests', source: 'http://x' } } } };
    expect(priceTableProblems(broken as unknown as PriceTable)).toEqual([
      'priceDate "today" is not YYYY-MM-DD',
      'us-east-1 has no price for kms.key',
      'us-east-1 sqs.standardRequests needs usd >= 0, per > 0, a unit and an https source',
    ]);
  });

  it('says a price the way the pricing pages do', () => {
    expect(describePrice({ usd: 0.2, per: 1_000_000, unit: 'requests', source: '' })).toBe('$0.20 per 1M requests');
    expect(describePrice({ usd: 0.03, per: 10_000, unit: 'requests', source: '' })).toBe('$0.03 per 10k requests');
    expect(describePrice({ usd: 0.015, per: 1, unit: 'shard-hour', source: '' })).toBe('$0.015 per shard-hour');
  });
});
