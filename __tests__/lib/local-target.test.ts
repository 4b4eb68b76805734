import { EMULATOR_UNTRACKED_ATTRIBUTES, LOCAL_ACCESS_KEY_ENV, LOCAL_MAPPING_RUNNER, LOCAL_MAPPING_TAG, LOCAL_SECRET_KEY_ENV, localBackendSettings, localProviderSettings } from '../../lib/local-target';
import { allStacks } from '../support/all-stacks';
import { testConfig, TfJson } from '../support/synth';

/** The local target differs from the real one only where the emulator needs it, and the real target not at all. */
const local = allStacks({ PIPELINES_TARGET: 'local', PIPELINES_LOCAL_ENDPOINT: 'http://127.0.0.1:4999' });
const real = allStacks();

function ignored(tf: TfJson, type: string): unknown[] {
  return Object.values(tf.resource?.[type] ?? {}).map((r) => (r.lifecycle as { ignore_changes?: unknown } | undefined)?.ignore_changes);
}

it('ignores, on the local target only, the attributes the emulator does not round-trip', () => {
  for (const [type, attributes] of Object.entries(EMULATOR_UNTRACKED_ATTRIBUTES)) {
    for (const tf of local.values()) for (const list of ignored(tf, type)) expect(list).toEqual(expect.arrayContaining([...attributes]));
    for (const tf of real.values()) for (const list of ignored(tf, type)) expect(list).toBeUndefined();
  }
  const covered = [...local.values()].some((tf) => Object.keys(EMULATOR_UNTRACKED_ATTRIBUTES).some((t) => ignored(tf, t).length > 0));
  expect(covered).toBe(true);
});

it('points provider and backend at the emulator with fake credentials, and the real target nowhere but AWS', () => {
  for (const [name, tf] of local) {
    const provider = (tf.provider?.aws as Record<string, unknown>[])[0];
    expect(provider.access_key).toBe('testing');
    for (const url of Object.values((provider.endpoints as Record<string, string>[])[0])) expect(url).toBe('http://127.0.0.1:4999');
    const s3 = (tf.terraform?.backend as Record<string, Record<string, unknown>>).s3;
    if (s3) expect({ name, endpoint: s3.endpoints, lock: s3.use_lockfile }).toEqual({ name, endpoint: { s3: 'http://127.0.0.1:4999' }, lock: true });
  }
  for (const tf of real.values()) {
    const provider = (tf.provider?.aws as Record<string, unknown>[])[0];
    expect(provider.endpoints).toBeUndefined();
    expect(provider.access_key).toBeUndefined();
    const s3 = (tf.terraform?.backend as Record<string, Record<string, unknown>>).s3;
    if (s3) expect(s3.endpoints).toBeUndefined();
  }
});

it('keeps the TLS-only state bucket policy on the real target (the emulator cannot evaluate its condition)', () => {
  expect(Object.keys(real.get('state-backend')?.resource?.aws_s3_bucket_policy ?? {})).toHaveLength(1);
  expect(local.get('state-backend')?.resource?.aws_s3_bucket_policy).toBeUndefined();
});

it('sends every service a stack uses to the emulator, so nothing of the local target reaches real AWS', () => {
  // Resource type prefix -> the provider's endpoint key for that service (longest prefix first).
  const services: [string, string][] = [
    ['aws_cloudwatch_log_', 'cloudwatchlogs'],
    ['aws_cloudwatch_', 'cloudwatch'],
    ['aws_apigatewayv2_', 'apigatewayv2'],
    ['aws_api_gateway_', 'apigateway'],
    ['aws_caller_identity', 'sts'],
  ];
  for (const [name, tf] of local) {
    const endpoints = Object.keys((((tf.provider?.aws as Record<string, unknown>[])[0].endpoints as Record<string, string>[]) ?? [{}])[0]);
    const types = [...Object.keys(tf.resource ?? {}), ...Object.keys(tf.data ?? {})].filter((t) => !['aws_iam_policy_document', 'aws_partition'].includes(t));
    for (const type of types) {
      const service = services.find(([prefix]) => type.startsWith(prefix))?.[1] ?? type.split('_')[1];
      expect({ name, type, emulated: endpoints.includes(service) }).toEqual({ name, type, emulated: true });
    }
  }
});

it('deploys every event source mapping disabled in the emulator and tagged for serve:local, on the local target only', () => {
  const mappings = (tfs: Map<string, TfJson>) => [...tfs.values()].flatMap((tf) => Object.values(tf.resource?.aws_lambda_event_source_mapping ?? {}));
  // The SQS mapping (webhook) and the Kinesis mapping (comments) at least.
  expect(mappings(local).length).toBeGreaterThanOrEqual(2);
  for (const m of mappings(local)) expect({ enabled: m.enabled, tags: m.tags }).toEqual({ enabled: false, tags: { [LOCAL_MAPPING_TAG]: LOCAL_MAPPING_RUNNER } });
  for (const m of mappings(real)) expect({ enabled: m.enabled, tags: m.tags }).toEqual({ enabled: undefined, tags: undefined });
});

describe('credentials on the local target', () => {
  const config = testConfig({ PIPELINES_TARGET: 'local', PIPELINES_LOCAL_ENDPOINT: 'http://127.0.0.1:4999' });
  afterEach(() => {
    delete process.env[LOCAL_ACCESS_KEY_ENV];
    delete process.env[LOCAL_SECRET_KEY_ENV];
  });

  it("sign as an emulator IAM user's key when both halves are set (the deployer gate's caller), for provider and backend alike", () => {
    process.env[LOCAL_ACCESS_KEY_ENV] = 'AKIAEXAMPLE';
    process.env[LOCAL_SECRET_KEY_ENV] = 'secret';
    expect([localProviderSettings(config), localBackendSettings(config)].map((s) => [s.accessKey, s.secretKey])).toEqual([
      ['AKIAEXAMPLE', 'secret'],
      ['AKIAEXAMPLE', 'secret'],
    ]);
  });

  it('refuses half a key', () => {
    process.env[LOCAL_ACCESS_KEY_ENV] = 'AKIAEXAMPLE';
    expect(() => localProviderSettings(config)).toThrow(/Set both PIPELINES_LOCAL_ACCESS_KEY_ID and PIPELINES_LOCAL_SECRET_ACCESS_KEY, or neither/);
  });
});
