import { Testing } from 'cdktf';
import { ZIP_BUDGET_BYTES } from '../../lib/bundling';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { buildStacks } from '../../stacks';
import { testConfig } from '../support/synth';

/**
 * Zip sizes are deterministic, so the budget is a test; module init times are not, so they stay in
 * `npm run bench:lambdas`, which prints both against the same budget.
 */
describe('Lambda bundle budget', () => {
  const app = Testing.app();
  buildStacks(app, testConfig());
  const functions = app.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);

  it('covers every function the app deploys', () => {
    expect(functions.map((f) => f.bundle.entry).sort()).toEqual([
      'lambdas/comments/consumer.ts',
      'lambdas/customers/handler.ts',
      'lambdas/webhook/authorizer.ts',
      'lambdas/webhook/consumer.ts',
      'lambdas/webhook/rotate-secret.ts',
    ]);
  });

  it(`keeps every zip within ${ZIP_BUDGET_BYTES / 1024} KB`, () => {
    const over = functions
      .filter((f) => f.bundle.sizeBytes > ZIP_BUDGET_BYTES)
      .map((f) => `${f.node.path} (${f.bundle.entry}): ${(f.bundle.sizeBytes / 1024).toFixed(1)} KB`);
    expect(over).toEqual([]);
  });
});
