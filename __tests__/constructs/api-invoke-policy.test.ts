import { Testing } from 'cdktf';
import { ApiInvokePolicy } from '../../lib/constructs/api-invoke-policy';
import { onlyResource, policyStatements, synthJson, testStack } from '../support/synth';

describe('ApiInvokePolicy', () => {
  it('allows execute-api:Invoke on exactly the routes it is given, read at synth time', () => {
    const stack = testStack();
    const routes: string[] = [];
    new ApiInvokePolicy(stack, 'Clients', { name: 'clients', routeArns: () => routes });
    routes.push('arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/x');
    const tf = synthJson(stack);
    expect(policyStatements(tf, onlyResource(tf, 'aws_iam_policy').policy)).toEqual([
      expect.objectContaining({ actions: ['execute-api:Invoke'], resources: ['arn:aws:execute-api:eu-west-1:123456789012:abc/v1/GET/x'] }),
    ]);
  });

  it('creates no output: the stack decides what it outputs', () => {
    const stack = testStack();
    new ApiInvokePolicy(stack, 'Clients', { name: 'clients', routeArns: () => ['arn:aws:execute-api:eu-west-1:1:a/v1/GET/x'] });
    expect(synthJson(stack).output).toBeUndefined();
  });

  it('refuses to synthesize a policy that grants no route', () => {
    const stack = testStack();
    new ApiInvokePolicy(stack, 'Empty', { name: 'empty', routeArns: () => [] });
    expect(() => Testing.synth(stack, true)).toThrow(/ApiInvokePolicy test\/Empty: the policy grants no route; add the API's routes before synthesis\./);
  });
});
