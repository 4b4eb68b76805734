import * as fs from 'fs';
import { TerraformStack, Testing } from 'cdktf';
import { unzipSync } from 'fflate';
import { bundleLambda, esbuildTarget, PROJECT_ROOT } from '../../lib/bundling';
import { NodejsFunction, NodejsFunctionProps } from '../../lib/constructs/nodejs-function';
import { onlyResource, policyStatements, resourcesOf, TfJson } from '../support/synth';

function synth(props: Partial<NodejsFunctionProps> = {}): TfJson {
  const stack = new TerraformStack(Testing.app(), 'fn-test');
  new NodejsFunction(stack, 'Fn', { functionName: 'sp-test-fn', entry: 'lambdas/customers/handler.ts', logRetentionDays: 14, ...props });
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

describe('bundling', () => {
  it('derives the esbuild target from the runtime', () => {
    expect(esbuildTarget('nodejs22.x')).toBe('node22');
    expect(esbuildTarget('nodejs20.x')).toBe('node20');
    expect(() => esbuildTarget('python3.12' as never)).toThrow(/Unsupported Lambda runtime "python3.12"/);
  });

  it('zips only a minified index.js that keeps function and class names for stack traces', () => {
    const bundle = bundleLambda('lambdas/customers/handler.ts', 'nodejs22.x');
    const files = unzipSync(fs.readFileSync(bundle.zipPath));
    expect(Object.keys(files)).toEqual(['index.js']);
    const code = Buffer.from(files['index.js']).toString('utf8');
    expect(code).not.toMatch(/sourceMappingURL/);
    // keepNames: a stack trace says "at CustomerRepository.get", not "at t.get".
    expect(code).toMatch(/"CustomerRepository"/);
    // The SDK is bundled on purpose (pinned version), so the handler needs nothing from the runtime.
    // (signature-v4-crt stays an optional require inside the SDK's own try/catch.)
    expect(code).not.toMatch(/require\("@aws-sdk\/(client-|lib-)/);
    expect(code).not.toContain(PROJECT_ROOT);
    expect(bundle).toMatchObject({ entry: 'lambdas/customers/handler.ts', runtime: 'nodejs22.x', sizeBytes: fs.statSync(bundle.zipPath).size });
  });

  it('bundles zod/mini only, never the full zod build with its locales', () => {
    const code = Buffer.from(unzipSync(fs.readFileSync(bundleLambda('lambdas/comments/consumer.ts', 'nodejs22.x').zipPath))['index.js']).toString('utf8');
    // A word only the locales (here the German one) carry; the full build bundles every locale.
    expect(code).not.toMatch(/Kreditkartennummer/);
    expect(code.length).toBeLessThan(100 * 1024);
  });

  it('fails with the entry named when the handler file does not exist', () => {
    expect(() => bundleLambda('lambdas/nope/handler.ts', 'nodejs22.x')).toThrow(/Lambda entry "lambdas\/nope\/handler.ts" does not exist/);
  });
});

describe('NodejsFunction', () => {
  const tf = synth({ memorySize: 512, timeout: 20, reservedConcurrency: 5, environment: { FOO: 'bar' } });

  it('passes the props through and keeps the project defaults', () => {
    expect(onlyResource(tf, 'aws_lambda_function')).toMatchObject({
      function_name: 'sp-test-fn',
      memory_size: 512,
      timeout: 20,
      reserved_concurrent_executions: 5,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      environment: { variables: { FOO: 'bar', POWERTOOLS_SERVICE_NAME: 'sp-test-fn' } },
    });
    // No --enable-source-maps: there is no map to parse, and parsing one slowed every cold start.
    expect(onlyResource(tf, 'aws_lambda_function').environment).toEqual({ variables: { FOO: 'bar', POWERTOOLS_SERVICE_NAME: 'sp-test-fn' } });
  });

  it('owns its log group, with retention, and creates the function after it', () => {
    const groupId = Object.keys(resourcesOf(tf, 'aws_cloudwatch_log_group'))[0];
    expect(onlyResource(tf, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/lambda/sp-test-fn', retention_in_days: 14 });
    expect(onlyResource(tf, 'aws_lambda_function').depends_on).toEqual([`aws_cloudwatch_log_group.${groupId}`]);
  });

  it('may write logs only to its own group', () => {
    const statements = policyStatements(tf, onlyResource(tf, 'aws_iam_role_policy').policy);
    const logs = statements.find((s) => (s.actions as string[]).includes('logs:PutLogEvents'));
    expect(logs?.resources).toEqual([`\${aws_cloudwatch_log_group.${Object.keys(resourcesOf(tf, 'aws_cloudwatch_log_group'))[0]}.arn}:*`]);
    expect(statements.flatMap((s) => s.actions as string[])).not.toContain('logs:CreateLogGroup');
  });

  it('gets the same asset hash and source_code_hash from a second synth', () => {
    const again = synth({ memorySize: 512, timeout: 20, reservedConcurrency: 5, environment: { FOO: 'bar' } });
    const pick = (json: TfJson) => {
      const fn = onlyResource(json, 'aws_lambda_function');
      return [fn.filename, fn.source_code_hash];
    };
    expect(pick(again)).toEqual(pick(tf));
  });

  it('rejects bad props with every problem and the construct path', () => {
    expect(() => synth({ functionName: 'bad name', memorySize: 64, timeout: 901 })).toThrow(
      /NodejsFunction fn-test\/Fn: functionName "bad name" must be 1-64 .*; memorySize 64 must be from 128 to 10240 MB; timeout 901 must be from 1 to 900 seconds\./,
    );
  });
});
