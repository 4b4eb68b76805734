import { LOCAL_ROTATION_DAYS_TAG, LOCAL_ROTATION_FUNCTION_TAG, RotatingSecret, RotatingSecretProps } from '../../lib/constructs/rotating-secret';
import { onlyResource, synthJson, testFunction, testStack } from '../support/synth';
import { functionPermissions } from '../support/iam';

const props: RotatingSecretProps = {
  name: 'test/secret',
  region: 'eu-west-1',
  rotationFunctionName: 'test-rotate',
  rotationEntry: 'lambdas/webhook/rotate-secret.ts',
  logRetentionDays: 7,
};

describe('RotatingSecret', () => {
  it('refuses bad names, rotation periods and recovery windows, listing every problem', () => {
    expect(() => new RotatingSecret(testStack(), 'S', { ...props, name: 'bad name', rotationDays: 0, recoveryWindowInDays: 3 })).toThrow(
      'RotatingSecret test/S: name "bad name" may only hold letters, digits and /_+=.@-; rotationDays 0 must be from 1 to 1000; recoveryWindowInDays 3 must be 0 or from 7 to 30.',
    );
  });

  it('defaults to a 30-day rotation and a 30-day recovery window', () => {
    const s = testStack();
    new RotatingSecret(s, 'S', props);
    const tf = synthJson(s);
    expect(onlyResource(tf, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(30);
    expect(onlyResource(tf, 'aws_secretsmanager_secret_rotation').rotation_rules).toEqual({ automatically_after_days: 30 });
  });

  // A key pending deletion decrypts nothing, so it must wait at least as long as the secret stays
  // recoverable; KMS takes 7-30 days. https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
  it.each([
    [0, 7],
    [7, 7],
    [20, 20],
    [30, 30],
  ])('with a %i-day recovery window, its key waits %i days before deletion', (recoveryWindowInDays, keyDays) => {
    const s = testStack();
    new RotatingSecret(s, 'S', { ...props, recoveryWindowInDays });
    const tf = synthJson(s);
    expect(onlyResource(tf, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(recoveryWindowInDays);
    expect(onlyResource(tf, 'aws_kms_key').deletion_window_in_days).toBe(keyDays);
  });

  it('has no rotation schedule when asked not to (the emulator target)', () => {
    const s = testStack();
    new RotatingSecret(s, 'S', { ...props, scheduleRotation: false });
    expect(synthJson(s).resource?.aws_secretsmanager_secret_rotation).toBeUndefined();
  });

  it('tags the secret, without a schedule, with its rotation function and days for the local data plane', () => {
    const s = testStack();
    new RotatingSecret(s, 'S', { ...props, scheduleRotation: false, rotationDays: 7 });
    const tf = synthJson(s);
    const fnId = Object.entries(tf.resource?.aws_lambda_function ?? {}).find(([, f]) => f.function_name === props.rotationFunctionName)![0];
    expect(onlyResource(tf, 'aws_secretsmanager_secret').tags).toEqual({
      [LOCAL_ROTATION_FUNCTION_TAG]: `\${aws_lambda_function.${fnId}.arn}`,
      [LOCAL_ROTATION_DAYS_TAG]: '7',
    });
    // With a schedule, Secrets Manager rotates: no such tags.
    const withSchedule = testStack();
    new RotatingSecret(withSchedule, 'S', props);
    expect(onlyResource(synthJson(withSchedule), 'aws_secretsmanager_secret').tags).toBeUndefined();
  });

  it('grants read: GetSecretValue on this secret and Decrypt on its key through Secrets Manager only', () => {
    const s = testStack();
    const secret = new RotatingSecret(s, 'S', props);
    const reader = testFunction(s, 'Reader');
    secret.grantRead(reader);
    const tf = synthJson(s);
    const fnId = Object.entries(tf.resource?.aws_lambda_function ?? {}).find(([, f]) => f.function_name === 'test-reader')![0];
    expect(functionPermissions(tf, fnId).slice(2)).toEqual([
      expect.objectContaining({ sid: 'ReadSecret', actions: ['secretsmanager:GetSecretValue'] }),
      expect.objectContaining({
        sid: 'DecryptSecretViaSecretsManager',
        actions: ['kms:Decrypt'],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.eu-west-1.amazonaws.com'] }],
      }),
    ]);
  });
});
