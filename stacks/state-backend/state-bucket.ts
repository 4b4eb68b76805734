import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { policyDocument } from '../../lib/constructs/policy-document';

const NEVER_DESTROY = { preventDestroy: true } as const;

export interface StateBucketProps {
  readonly bucketName: string;
  /** Days a superseded state version is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
  /**
   * Deny every request not made over TLS (bucket policy). Only the local emulator target turns it
   * off: moto evaluates bucket policies without their conditions, so this Deny would refuse every
   * request there. @default true
   */
  readonly denyInsecureTransport?: boolean;
}

/**
 * The Terraform state bucket: versioned (every state ever written can be restored), encrypted with
 * KMS, never public, owner-enforced, reachable only over TLS, with old versions expiring.
 *
 * It holds every stack's state, so Terraform must never take it or any of its settings away, in any
 * environment: every resource here has `prevent_destroy`, which makes Terraform reject any plan that
 * would destroy one of them, before it changes anything ("Instance cannot be destroyed"). A plain
 * `cdktf destroy '*'` therefore removes every pipeline and stops at this stack. Removing the backend
 * is a separate, deliberate step (README, "Removing the state backend").
 * https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'Bucket', {
      bucket: props.bucketName,
      lifecycle: NEVER_DESTROY,
    });
    new S3BucketVersioningA(this, 'Versioning', {
      bucket: this.bucket.id,
      lifecycle: NEVER_DESTROY,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      lifecycle: NEVER_DESTROY,
      rule: [
        {
          // The AWS-managed key (aws/s3); the bucket key cuts KMS calls for frequent state writes.
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      lifecycle: NEVER_DESTROY,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'Ownership', {
      bucket: this.bucket.id,
      lifecycle: NEVER_DESTROY,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    if (props.denyInsecureTransport ?? true) {
      new S3BucketPolicy(this, 'TlsOnly', {
        bucket: this.bucket.id,
      lifecycle: NEVER_DESTROY,
        policy: policyDocument(this, 'TlsOnlyPolicy', [
          {
            sid: 'DenyInsecureTransport',
            effect: 'Deny',
            actions: ['s3:*'],
            resources: [this.bucket.arn, `${this.bucket.arn}/*`],
            principals: [{ type: '*', identifiers: ['*'] }],
            conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
          },
        ]).json,
      });
    }
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.bucket.id,
      lifecycle: NEVER_DESTROY,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }
}
