import { App, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HttpApi, HttpApiProps } from '../../lib/constructs/http-api';
import { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { onlyResource, ref, resourcesOf, TfJson } from '../support/synth';

const PROPS: HttpApiProps = { name: 'test-api', logRetentionDays: 7, rateLimit: 10, burstLimit: 20 };

function scope(): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return { app, stack };
}

function authorizerFunction(stack: TerraformStack): NodejsFunction {
  return new NodejsFunction(stack, 'AuthFn', { functionName: 'test-auth', entry: 'lambdas/webhook/authorizer.ts', logRetentionDays: 7 });
}

function integrate(api: HttpApi, name = 'Send') {
  return api.addAwsServiceIntegration(name, { subtype: 'SQS-SendMessage', credentialsArn: 'arn:aws:iam::123456789012:role/r', requestParameters: { QueueUrl: 'q', MessageBody: '$request.body' } });
}

describe('HttpApi', () => {
  it('creates the API, an auto-deployed $default stage with JSON access logs and throttling, and nothing else', () => {
    const { stack } = scope();
    new HttpApi(stack, 'Api', PROPS);
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(Object.keys(tf.resource ?? {}).sort()).toEqual(['aws_apigatewayv2_api', 'aws_apigatewayv2_stage', 'aws_cloudwatch_log_group']);
    const stage = onlyResource(tf, 'aws_apigatewayv2_stage');
    expect(stage).toMatchObject({ name: '$default', auto_deploy: true, default_route_settings: { throttling_rate_limit: 10, throttling_burst_limit: 20, detailed_metrics_enabled: true } });
    expect(() => JSON.parse((stage.access_log_settings as { format: string }).format) as unknown).not.toThrow();
    // Under /aws/vendedlogs/: one wildcard in the region's 5,120-character log resource policy covers
    // every such group, so deploying HTTP APIs never fills that policy (and fails stage creation).
    expect(onlyResource(tf, 'aws_cloudwatch_log_group')).toEqual({ name: '/aws/vendedlogs/apigateway/test-api/access', retention_in_days: 7 });
  });

  it('leaves a route without an authorizer public, with readable logical ids', () => {
    const { stack } = scope();
    const api = new HttpApi(stack, 'Api', PROPS);
    api.addRoute('GET /health/{id}', { integration: integrate(api) });
    api.addRoute('$default', { integration: integrate(api, 'Fallback') });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    const routes = resourcesOf(tf, 'aws_apigatewayv2_route');
    expect(Object.keys(routes).map((id) => id.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(['Api_RouteDefault', 'Api_RouteGetHealthId']);
    for (const route of Object.values(routes)) {
      expect(route.authorization_type).toBe('NONE');
      expect(route).not.toHaveProperty('authorizer_id');
    }
  });

  it('scopes the authorizer invoke permission to the API and that authorizer', () => {
    const { stack } = scope();
    const api = new HttpApi(stack, 'Api', PROPS);
    const fn = authorizerFunction(stack);
    api.addRequestAuthorizer('token-check', { function: fn, identitySources: ['$request.header.X-Token'] });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    const authorizerId = Object.keys(resourcesOf(tf, 'aws_apigatewayv2_authorizer'))[0];
    expect(authorizerId).toMatch(/^Api_AuthorizerTokenCheck_/);
    expect(onlyResource(tf, 'aws_apigatewayv2_authorizer')).toMatchObject({ name: 'token-check', authorizer_result_ttl_in_seconds: 300, identity_sources: ['$request.header.X-Token'] });
    expect(onlyResource(tf, 'aws_lambda_permission').source_arn).toBe(
      `${ref('aws_apigatewayv2_api', Object.keys(resourcesOf(tf, 'aws_apigatewayv2_api'))[0], 'execution_arn')}/authorizers/${ref('aws_apigatewayv2_authorizer', authorizerId, 'id')}`,
    );
  });

  it.each([
    [{ ...PROPS, name: 'bad/name' }, 'name "bad/name" must be 1-128 letters'],
    [{ ...PROPS, rateLimit: 0 }, 'rateLimit 0 must be a positive whole number'],
    [{ ...PROPS, burstLimit: 1.5 }, 'burstLimit 1.5 must be a positive whole number'],
  ])('refuses invalid props: %j', (props, message) => {
    const { stack } = scope();
    expect(() => new HttpApi(stack, 'Api', props)).toThrow(`HttpApi test/Api: ${message}`);
  });

  it('refuses bad authorizer settings, listing every problem', () => {
    const { stack } = scope();
    const api = new HttpApi(stack, 'Api', PROPS);
    expect(() => api.addRequestAuthorizer('bad name', { function: authorizerFunction(stack), identitySources: [], resultTtlSeconds: 4000 })).toThrow(
      'HttpApi test/Api: authorizer bad name: name "bad name" must be 1-128 letters, digits, hyphens or underscores; identitySources must name at least one request part, e.g. $request.header.Authorization; resultTtlSeconds 4000 must be a whole number from 0 to 3600.',
    );
  });

  it('refuses a bad integration timeout, a malformed route key and a duplicate route', () => {
    const { stack } = scope();
    const api = new HttpApi(stack, 'Api', PROPS);
    expect(() => api.addAwsServiceIntegration('Slow', { subtype: 'SQS-SendMessage', credentialsArn: 'r', requestParameters: {}, timeoutMilliseconds: 31000 })).toThrow(
      'HttpApi test/Api: integration Slow: timeoutMilliseconds 31000 must be from 50 to 30000.',
    );
    const integration = integrate(api);
    expect(() => api.addRoute('POST submit', { integration })).toThrow('route key "POST submit" must be "$default" or "<METHOD> /<path>"');
    api.addRoute('POST /submit', { integration });
    expect(() => api.addRoute('POST /submit', { integration })).toThrow('route "POST /submit" is defined twice');
  });
});
