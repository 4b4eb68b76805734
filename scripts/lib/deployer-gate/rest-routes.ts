import { Input } from './request';

/**
 * The REST operations Terraform's provider and S3 backend call, by method and path. Lambda's paths
 * are its API reference's (https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html);
 * S3's are path-style (`s3_use_path_style`), the operation named by its sub-resource query key,
 * and given here as the IAM action S3 checks, which is not always the API's name
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
 */
export interface RestOperation {
  readonly operation: string;
  /** Path parameters, decoded. */
  readonly input: Input;
}

const LAMBDA_ROUTES: readonly (readonly [method: string, path: RegExp, operation: string])[] = [
  ['POST', /^\/2015-03-31\/functions\/?$/, 'CreateFunction'],
  ['GET', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)$/, 'GetFunction'],
  ['DELETE', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)$/, 'DeleteFunction'],
  ['GET', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/configuration$/, 'GetFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/configuration$/, 'UpdateFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/code$/, 'UpdateFunctionCode'],
  ['GET', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/versions$/, 'ListVersionsByFunction'],
  ['POST', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/invocations$/, 'InvokeFunction'],
  ['POST', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/policy$/, 'AddPermission'],
  ['GET', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/policy$/, 'GetPolicy'],
  ['DELETE', /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/policy\/[^/]+$/, 'RemovePermission'],
  ['PUT', /^\/2017-10-31\/functions\/(?<FunctionName>[^/]+)\/concurrency$/, 'PutFunctionConcurrency'],
  ['DELETE', /^\/2017-10-31\/functions\/(?<FunctionName>[^/]+)\/concurrency$/, 'DeleteFunctionConcurrency'],
  ['GET', /^\/2019-09-30\/functions\/(?<FunctionName>[^/]+)\/concurrency$/, 'GetFunctionConcurrency'],
  ['GET', /^\/2020-06-30\/functions\/(?<FunctionName>[^/]+)\/code-signing-config$/, 'GetFunctionCodeSigningConfig'],
  ['POST', /^\/2015-03-31\/event-source-mappings\/?$/, 'CreateEventSourceMapping'],
  ['GET', /^\/2015-03-31\/event-source-mappings\/(?<UUID>[^/]+)$/, 'GetEventSourceMapping'],
  ['PUT', /^\/2015-03-31\/event-source-mappings\/(?<UUID>[^/]+)$/, 'UpdateEventSourceMapping'],
  ['DELETE', /^\/2015-03-31\/event-source-mappings\/(?<UUID>[^/]+)$/, 'DeleteEventSourceMapping'],
  ['GET', /^\/2017-03-31\/tags\/(?<ARN>.+)$/, 'ListTags'],
  ['POST', /^\/2017-03-31\/tags\/(?<ARN>.+)$/, 'TagResource'],
  ['DELETE', /^\/2017-03-31\/tags\/(?<ARN>.+)$/, 'UntagResource'],
];

export function lambdaOperation(method: string, path: string): RestOperation | undefined {
  for (const [routeMethod, pattern, operation] of LAMBDA_ROUTES) {
    const match = method === routeMethod ? pattern.exec(path) : null;
    if (match) return { operation, input: decoded(match.groups) };
  }
  return undefined;
}

/** S3 bucket sub-resources: the IAM action of GET, PUT and DELETE on each. */
const BUCKET_SUBRESOURCES: Readonly<Record<string, readonly [get: string, put?: string, del?: string]>> = {
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  acl: ['GetBucketAcl', 'PutBucketAcl'],
  cors: ['GetBucketCORS', 'PutBucketCORS', 'PutBucketCORS'],
  website: ['GetBucketWebsite', 'PutBucketWebsite', 'DeleteBucketWebsite'],
  versioning: ['GetBucketVersioning', 'PutBucketVersioning'],
  accelerate: ['GetAccelerateConfiguration', 'PutAccelerateConfiguration'],
  requestPayment: ['GetBucketRequestPayment', 'PutBucketRequestPayment'],
  logging: ['GetBucketLogging', 'PutBucketLogging'],
  lifecycle: ['GetLifecycleConfiguration', 'PutLifecycleConfiguration', 'PutLifecycleConfiguration'],
  replication: ['GetReplicationConfiguration', 'PutReplicationConfiguration', 'PutReplicationConfiguration'],
  encryption: ['GetEncryptionConfiguration', 'PutEncryptionConfiguration', 'PutEncryptionConfiguration'],
  'object-lock': ['GetBucketObjectLockConfiguration', 'PutBucketObjectLockConfiguration'],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'PutBucketTagging'],
  ownershipControls: ['GetBucketOwnershipControls', 'PutBucketOwnershipControls', 'PutBucketOwnershipControls'],
  publicAccessBlock: ['GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock', 'PutBucketPublicAccessBlock'],
  location: ['GetBucketLocation'],
};

const BUCKET_ACTIONS: Readonly<Record<string, string>> = { PUT: 'CreateBucket', GET: 'ListBucket', HEAD: 'ListBucket', DELETE: 'DeleteBucket' };
const OBJECT_ACTIONS: Readonly<Record<string, string>> = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'GetObject', DELETE: 'DeleteObject' };

export function s3Operation(method: string, path: string, query: URLSearchParams): RestOperation | undefined {
  const [, bucket, ...key] = path.split('/');
  if (!bucket) return undefined;
  const BucketName = decodeURIComponent(bucket);
  if (key.length > 0 && key.join('/') !== '') {
    const operation = OBJECT_ACTIONS[method];
    return operation && ![...query.keys()].some((k) => k !== 'x-id' && k !== 'versionId') ? { operation, input: { BucketName, ObjectName: decodeURIComponent(key.join('/')) } } : undefined;
  }
  const subresources = [...query.keys()].filter((k) => k !== 'x-id');
  if (subresources.length === 0) return BUCKET_ACTIONS[method] ? { operation: BUCKET_ACTIONS[method], input: { BucketName } } : undefined;
  // A listing: GET /bucket?list-type=2&prefix=... (ListObjectsV2), or ?versions.
  if (method === 'GET' && subresources.some((k) => k === 'list-type' || k === 'prefix')) return { operation: 'ListBucket', input: { BucketName } };
  if (method === 'GET' && subresources.includes('versions')) return { operation: 'ListBucketVersions', input: { BucketName } };
  const actions = subresources.length === 1 ? BUCKET_SUBRESOURCES[subresources[0]] : undefined;
  const at = ({ GET: 0, PUT: 1, DELETE: 2 } as Record<string, 0 | 1 | 2>)[method];
  const operation = at === undefined ? undefined : actions?.[at];
  return operation ? { operation, input: { BucketName } } : undefined;
}

function decoded(groups: Readonly<Record<string, string>> | undefined): Input {
  return Object.fromEntries(Object.entries(groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
}
