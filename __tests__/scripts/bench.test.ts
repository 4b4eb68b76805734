import { unzipSync } from 'fflate';
import { bundleLambda } from '../../lib/bundling';
import { buildFloor, median, sdkClientsOf } from '../../scripts/lib/bench';

describe('bench:lambdas helpers', () => {
  it('finds the SDK clients a function bundles, and only those', () => {
    expect(sdkClientsOf('lambdas/customers/handler.ts', bundleLambda('lambdas/customers/handler.ts', 'nodejs22.x'))).toEqual(['@aws-sdk/client-dynamodb']);
    expect(sdkClientsOf('lambdas/webhook/authorizer.ts', bundleLambda('lambdas/webhook/authorizer.ts', 'nodejs22.x'))).toEqual(['@aws-sdk/client-secrets-manager']);
    expect(sdkClientsOf('lambdas/comments/consumer.ts', bundleLambda('lambdas/comments/consumer.ts', 'nodejs22.x'))).toEqual([]);
  });

  it('builds a floor holding a Logger and the named client, bundled like the functions', () => {
    const zip = buildFloor(['@aws-sdk/client-dynamodb'], bundleLambda('lambdas/customers/handler.ts', 'nodejs22.x'));
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(['index.js']);
    const code = Buffer.from(files['index.js']).toString('utf8');
    expect(code).toMatch(/"DynamoDBClient"/);
    expect(code).toMatch(/"Logger"/);
    expect(code).not.toMatch(/\$ZodType/);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
