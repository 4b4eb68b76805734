import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { dueRotation } from '../../local/secrets/rotation';
import { emulatorClient } from '../../local/aws/clients';
import { useEmulator } from '../support/moto';

// When serve:local rotates a secret, as Secrets Manager would: at once when rotation is configured
// (API_RotateSecret: "rotates the secret immediately" unless RotateImmediately is false), then
// every AutomaticallyAfterDays. The four steps running the deployed function are held by the e2e
// local cycle (its smoke needs the password the plane's first rotation makes).
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html
const moto = useEmulator();
const DAY = 86_400_000;

describe('a due rotation', () => {
  it('is the first one while the secret has no AWSCURRENT version, then none until its days have passed', async () => {
    const client = emulatorClient(SecretsManagerClient, { endpoint: moto().endpoint, region: 'us-east-1' });
    const { ARN: arn } = await client.send(new CreateSecretCommand({ Name: `rotation-due-${Date.now()}` }));
    const secret = { arn: arn!, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:rotate', days: 30 };
    expect(await dueRotation(client, secret, Date.now())).toBe('first');

    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: '{"username":"u","password":"p"}' }));
    expect(await dueRotation(client, secret, Date.now())).toBeUndefined();
    expect(await dueRotation(client, secret, Date.now() + 29 * DAY)).toBeUndefined();
    expect(await dueRotation(client, secret, Date.now() + 30 * DAY + 60_000)).toBe('scheduled');
  });
});
