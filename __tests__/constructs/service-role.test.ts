import { Testing } from 'cdktf';
import { ServiceRole } from '../../lib/constructs/service-role';
import { testStack } from '../support/synth';

describe('ServiceRole', () => {
  it('refuses a name IAM would refuse, naming the fix', () => {
    expect(() => new ServiceRole(testStack(), 'R', { name: 'r'.repeat(65), service: 'lambda.amazonaws.com' })).toThrow(
      /^ServiceRole test\/R: role name "r{65}" is 65 characters; IAM allows 64\. Use a shorter stack short name or environment\.$/,
    );
  });

  it('refuses to synthesize a role nobody granted anything', () => {
    const stack = testStack();
    new ServiceRole(stack, 'Idle', { name: 'idle', service: 'apigateway.amazonaws.com' });
    expect(() => Testing.synth(stack, true)).toThrow(/ServiceRole test\/Idle: the role has no permissions; grant it what it needs through the resources it uses/);
  });
});
