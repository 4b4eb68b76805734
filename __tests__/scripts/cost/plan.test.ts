import { configurationLinks, planCostChange, planRegion } from '../../../scripts/lib/cost/plan';
import { loadPriceTable, pricesFor } from '../../../scripts/lib/cost/prices';
import { DEFAULT_PROFILE } from '../../../scripts/lib/cost/profile';
import { costedPlan as plan } from '../../support/costed-plan';

describe('planCostChange', () => {
  const prices = pricesFor(loadPriceTable(), 'us-east-1');
  const cost = planCostChange(plan, prices, DEFAULT_PROFILE);
  const requests = (10_000 * 730) / 24;
  const worker = (requests * 0.2) / 1e6 + requests * 0.1 * 0.25 * 0.0000133334;

  it('prices the stack before and after the plan by the same rules', () => {
    expect(cost.before.idleMonthlyUsd).toBeCloseTo(730 * 0.015, 10);
    expect(cost.after.idleMonthlyUsd).toBeCloseTo(2 * 730 * 0.015, 10);
    // The API's requests: $1 per million at the stage, one 1 KB record each into the stream ($0.014 per million units).
    const api = requests / 1e6 + (requests * 0.014) / 1e6;
    expect(cost.before.monthlyUsd).toBeCloseTo(730 * 0.015 + api, 10);
    expect(cost.after.monthlyUsd).toBeCloseTo(2 * 730 * 0.015 + api + (requests * 3 * 0.4) / 1e6 + worker, 10);
  });

  it('follows links the after values cannot show yet through the configuration\'s references', () => {
    expect(configurationLinks(plan)).toEqual([
      { from: 'aws_lambda_event_source_mapping.Consume', to: 'aws_sqs_queue.Jobs', attribute: 'event_source_arn' },
      { from: 'aws_lambda_event_source_mapping.Consume', to: 'aws_lambda_function.Worker', attribute: 'function_name' },
    ]);
    expect(cost.after.items.find((i) => i.address === 'aws_lambda_function.Worker')!.monthlyUsd).toBeCloseTo(worker, 10);
  });

  it('lists the resources whose cost changes, with their figures before and after', () => {
    expect(cost.items.map((i) => i.address).sort()).toEqual(['aws_kinesis_stream.Stream', 'aws_lambda_function.Worker', 'aws_sqs_queue.Jobs']);
    expect(cost.items.find((i) => i.address === 'aws_kinesis_stream.Stream')).toMatchObject({ idleBefore: 10.95, idleAfter: 21.9 });
  });

  it('reads the region from the plan\'s provider configuration', () => {
    expect(planRegion(plan)).toBe('us-east-1');
    expect(planRegion({})).toBeUndefined();
  });
});
