import { appStack, onlyResource, policyStatements, ref, resourcesOf, TfJson } from '../support/synth';

/** The bootstrap stack holds every other stack's state: its safety settings are the project's. */
const BUCKET_PARTS = [
  'aws_s3_bucket',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_lifecycle_configuration',
];

const tf = appStack('state-backend');
const bucketId = Object.keys(resourcesOf(tf, 'aws_s3_bucket'))[0];
const bucketRef = ref('aws_s3_bucket', bucketId, 'id');

describe('state-backend: where its own state and the bucket live', () => {
  it('keeps its own state in a local file beside the project, outside the wiped cdktf.out', () => {
    expect(tf.terraform?.backend).toEqual({ local: { path: '../../../terraform.state-backend.dev.tfstate' } });
  });

  // Every backend looks for the bucket in PIPELINES_STATE_REGION; the bucket must be created there.
  it('creates the bucket in the state region, even when the pipelines deploy elsewhere', () => {
    const split = appStack('state-backend', { PIPELINES_REGION: 'eu-west-1', PIPELINES_STATE_REGION: 'eu-central-1' });
    expect(split.provider?.aws?.[0]).toMatchObject({ region: 'eu-central-1' });
    expect(tf.provider?.aws?.[0]).toMatchObject({ region: 'us-east-1' });
  });

  it('holds nothing but the bucket and its settings (so nothing else survives `cdktf destroy *`)', () => {
    expect(Object.keys(tf.resource ?? {}).sort()).toEqual([...BUCKET_PARTS].sort());
  });
});

describe('state-backend: the bucket can never be destroyed or weakened by Terraform', () => {
  // prevent_destroy makes Terraform reject a destroy plan before it changes anything, in every
  // environment: https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
  it.each(['dev', 'staging', 'prod'])('sets prevent_destroy on the bucket and every one of its settings in %s', (environment) => {
    const env = appStack('state-backend', { PIPELINES_ENV: environment });
    for (const type of BUCKET_PARTS) {
      for (const resource of Object.values(resourcesOf(env, type))) expect({ type, lifecycle: resource.lifecycle }).toEqual({ type, lifecycle: { prevent_destroy: true } });
    }
  });

  it('is versioned, so every state ever written can be restored', () => {
    expect(onlyResource(tf, 'aws_s3_bucket_versioning')).toMatchObject({ bucket: bucketRef, versioning_configuration: { status: 'Enabled' } });
  });

  it('encrypts by default with KMS and a bucket key (state objects get it: the backends send no SSE header)', () => {
    expect(onlyResource(tf, 'aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      bucket: bucketRef,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true }],
    });
  });

  it('is never public and owner-enforced', () => {
    expect(onlyResource(tf, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(tf, 'aws_s3_bucket_ownership_controls')).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('refuses every request not made over TLS', () => {
    const statements = policyStatements(tf, onlyResource(tf, 'aws_s3_bucket_policy').policy);
    expect(statements).toEqual([
      expect.objectContaining({
        effect: 'Deny',
        actions: ['s3:*'],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      }),
    ]);
  });

  it('expires superseded state versions after 90 days and abandoned uploads after 7', () => {
    expect(onlyResource(tf, 'aws_s3_bucket_lifecycle_configuration')).toMatchObject({
      rule: [{ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }],
    });
  });
});

describe('state-backend on the local emulator target', () => {
  const local: TfJson = appStack('state-backend', { PIPELINES_TARGET: 'local' });
  it('drops only the TLS-only policy (the emulator ignores its condition and would deny everything)', () => {
    expect(Object.keys(local.resource ?? {}).sort()).toEqual(BUCKET_PARTS.filter((t) => t !== 'aws_s3_bucket_policy').sort());
  });
});
