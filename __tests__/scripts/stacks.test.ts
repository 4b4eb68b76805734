import { forEachInDependencyOrder, keptOnDestroy } from '../../scripts/lib/stacks';
import type { SynthesizedStack } from '../../scripts/lib/synth';
import { appSynthesis } from '../support/app-synthesis';

/**
 * The order `cdktf deploy '*'` and `cdktf destroy '*'` run stacks in comes from the dependencies in
 * manifest.json (cdktf runs stacks without dependencies all at once, `--parallelism` is unlimited by
 * default): https://developer.hashicorp.com/terraform/cdktf/concepts/stacks and cdktf-cli's
 * stack-helpers (`getStackWithNoUnmetDependencies`).
 */
describe('stack dependencies in the synthesized manifest', () => {
  const { stacks } = appSynthesis();
  const dependenciesOf = (name: string) => stacks.find((s) => s.name === name)?.dependencies;
  const rest = ['apigw-lambda-dynamodb-customers', 'apigw-dynamodb-kinesis-lambda', 'apigw-kinesis-proxy', 'apigw-kinesis-putrecord'];

  it('makes every other stack wait for state-backend, whose bucket holds their state', () => {
    for (const stack of stacks.filter((s) => s.name !== 'state-backend')) expect(stack.dependencies).toContain('state-backend');
    expect(dependenciesOf('state-backend')).toEqual([]);
  });

  it("makes every REST API wait for the account's API Gateway CloudWatch role (stages with access logs need it)", () => {
    for (const name of rest) expect(dependenciesOf(name)).toEqual(['state-backend', 'apigw-account']);
    expect(dependenciesOf('apigw-sqs-lambda-dynamodb')).toEqual(['state-backend']);
  });

  // What `npm run destroy` and destroy:local skip: Terraform would refuse them anyway.
  it('knows which stacks outlive every destroy: the state bucket and the account-wide API Gateway role', () => {
    expect(stacks.filter(keptOnDestroy).map((s) => s.name)).toEqual(['state-backend', 'apigw-account']);
  });

  it('with PIPELINES_APIGW_ACCOUNT_ROLE=existing, has no account stack and the REST APIs wait only for state-backend', () => {
    const existing = appSynthesis({ PIPELINES_APIGW_ACCOUNT_ROLE: 'existing' }).stacks;
    expect(existing.map((s) => s.name)).not.toContain('apigw-account');
    for (const name of rest) expect(existing.find((s) => s.name === name)?.dependencies).toEqual(['state-backend']);
  });
});

describe('forEachInDependencyOrder (what the npm scripts use, in cdktf\'s order)', () => {
  const stack = (name: string, dependencies: string[] = []): SynthesizedStack => ({ name, dir: name, dependencies });
  const app = [stack('bucket'), stack('account', ['bucket']), stack('api', ['bucket', 'account']), stack('queue', ['bucket'])];

  async function trace(order: 'deploy' | 'destroy', fail?: string): Promise<{ events: string[]; error?: unknown }> {
    const events: string[] = [];
    try {
      await forEachInDependencyOrder(app, order, 3, async (s) => {
        events.push(`start ${s.name}`);
        await new Promise((r) => setTimeout(r, 5));
        if (s.name === fail) throw new Error(`${s.name} failed`);
        events.push(`end ${s.name}`);
      });
      return { events };
    } catch (error) {
      return { events, error };
    }
  }
  const before = (events: string[], a: string, b: string) => expect(events.indexOf(a)).toBeLessThan(events.indexOf(b));

  it('deploys a stack only after everything it depends on', async () => {
    const { events } = await trace('deploy');
    before(events, 'end bucket', 'start account');
    before(events, 'end bucket', 'start queue');
    before(events, 'end account', 'start api');
  });

  it('destroys a stack only after everything that depends on it', async () => {
    const { events } = await trace('destroy');
    before(events, 'end api', 'start account');
    before(events, 'end account', 'start bucket');
    before(events, 'end queue', 'start bucket');
  });

  it('starts nothing that depends on a failed stack, and reports the failure', async () => {
    const { events, error } = await trace('deploy', 'account');
    expect((error as Error).message).toBe('account failed');
    expect(events).not.toContain('start api');
  });

  it('refuses a dependency cycle instead of waiting forever', async () => {
    await expect(forEachInDependencyOrder([stack('a', ['b']), stack('b', ['a'])], 'deploy', 2, async () => undefined)).rejects.toThrow(/form a cycle/);
  });
});
