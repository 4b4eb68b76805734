import { deployerStatements, DeployerStatement } from '../../lib/deployer-policy';
import { allStacks } from '../support/all-stacks';
import { ACCOUNT, callsOf, PROVIDER_CALLS } from '../support/provider-calls';
import { testConfig } from '../support/synth';

/**
 * Every call Terraform makes for every resource the stacks synthesize (support/provider-calls.ts:
 * the provider's create, read, update and delete of each resource type) is allowed by the deployer
 * policy on the ARN it is made on. Conditions are not evaluated here: they only narrow a statement
 * that already matches, and the scope test holds which statements have them.
 */
const settings = { PIPELINES_ENV: 'staging', PIPELINES_REGION: 'eu-west-1', PIPELINES_ALARM_EMAILS: 'ops@example.com' };
const config = testConfig(settings);
const statements = deployerStatements({ ...config, account: ACCOUNT });

const stacksOf = allStacks;

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
const allows = (s: DeployerStatement, action: string, resource: string) => s.actions.includes(action) && s.resources.some((r) => glob(r).test(resource));

const stacks = stacksOf(settings);

describe('deployer policy: every call the synthesized stacks need', () => {
  it('knows the calls of every resource type the stacks synthesize', () => {
    const types = new Set([...stacks.values()].flatMap((tf) => Object.keys(tf.resource ?? {})));
    expect([...types].filter((t) => !PROVIDER_CALLS[t])).toEqual([]);
    expect(types).toContain('aws_sns_topic_subscription');
  });

  it.each([...stacks.keys()])('%s: every call is allowed on its ARN', (name) => {
    const denied = callsOf(stacks.get(name)!, config.region).flatMap((call) =>
      call.actions.filter((action) => !statements.some((s) => allows(s, action, call.resource))).map((action) => `${call.by}: ${action} on ${call.resource}`),
    );
    expect(denied).toEqual([]);
  });

  it('allows nothing on another environment\'s resources', () => {
    const other = stacksOf({ ...settings, PIPELINES_ENV: 'prod' });
    const calls = [...other.entries()].filter(([name]) => name !== 'state-backend' && name !== 'apigw-account').flatMap(([, tf]) => callsOf(tf, config.region));
    const named = calls.filter((c) => c.resource.includes('sp-prod-'));
    expect(named.length).toBeGreaterThan(50);
    const allowed = named.flatMap((c) => c.actions.filter((a) => statements.some((s) => allows(s, a, c.resource))).map((a) => `${a} on ${c.resource}`));
    expect(allowed).toEqual([]);
  });
});
