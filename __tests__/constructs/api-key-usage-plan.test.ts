import { ApiKeyUsagePlan } from '../../lib/constructs/api-key-usage-plan';
import { RestApi } from '../../lib/constructs/rest-api/rest-api';
import { ref, resourcesOf, synthJson, testStack } from '../support/synth';

describe('ApiKeyUsagePlan', () => {
  const stack = testStack();
  const api = new RestApi(stack, 'Api', { name: 'api', logRetentionDays: 1, rateLimit: 5, burstLimit: 10 });
  const limits = { rateLimit: 5, burstLimit: 10, quotaPerDay: 100 };
  const partners = new ApiKeyUsagePlan(stack, 'Partners', { api, name: 'partners', ...limits });
  const internal = new ApiKeyUsagePlan(stack, 'Internal', { api, name: 'internal', ...limits });
  const tf = synthJson(stack);

  it('works twice in one stack: two keys, two plans, nothing dropped', () => {
    expect(Object.values(resourcesOf(tf, 'aws_api_gateway_api_key')).map((k) => k.name).sort()).toEqual(['internal', 'partners']);
    expect(Object.values(resourcesOf(tf, 'aws_api_gateway_usage_plan')).map((p) => p.name).sort()).toEqual(['internal', 'partners']);
    expect(partners.keyId).not.toEqual(internal.keyId);
  });

  it('creates no output (the key value is secret; only the stack may output it, sensitive)', () => {
    expect(tf.output).toBeUndefined();
  });

  it('binds the plan to the stage by reference, so the plan waits for the stage', () => {
    const stageId = Object.keys(resourcesOf(tf, 'aws_api_gateway_stage'))[0];
    for (const plan of Object.values(resourcesOf(tf, 'aws_api_gateway_usage_plan'))) {
      expect(plan.api_stages).toEqual([{ api_id: expect.stringContaining('aws_api_gateway_rest_api.'), stage: ref('aws_api_gateway_stage', stageId, 'stage_name') }]);
      expect(plan.quota_settings).toEqual({ limit: 100, period: 'DAY' });
    }
  });
});
