import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { emulatorClient } from '../../local/aws/clients';
import { RoleCredentials } from '../../local/aws/role-credentials';
import { ServiceCaller } from '../../local/aws/service-call';
import { useEmulator } from '../support/moto';

// moto numbers a Kinesis record as the shard's last number plus one without a lock, so concurrent
// puts into one shard can overwrite each other; the plane sends its writes to one stream in turn.
// The race is rare on a quiet machine (the e2e burst suite lost 1 of 40 under load), so this is a
// guard that every concurrent put is stored under its own number, not a reliable reproduction.
const moto = useEmulator();
const REGION = 'us-east-1';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/integration-role';
const target = () => ({ endpoint: moto().endpoint, region: REGION });

beforeAll(async () => {
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  await emulatorClient(IAMClient, target()).send(new CreateRoleCommand({ RoleName: 'integration-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await emulatorClient(KinesisClient, target()).send(new CreateStreamCommand({ StreamName: 'burst', ShardCount: 1 }));
});

it('keeps every one of 64 concurrent PutRecord calls into one shard, each under its own sequence number', async () => {
  const caller = new ServiceCaller(target(), new RoleCredentials(target()));
  const puts = Array.from({ length: 64 }, (_, i) =>
    caller.call({ service: 'kinesis', action: 'PutRecord' }, ROLE_ARN, JSON.stringify({ StreamName: 'burst', PartitionKey: `k${i}`, Data: Buffer.from(String(i)).toString('base64') })),
  );
  const answers = await Promise.all(puts);
  expect(answers.map((a) => a.status)).toEqual(Array(64).fill(200));
  const sequenceNumbers = answers.map((a) => (JSON.parse(a.body) as { SequenceNumber: string }).SequenceNumber);
  expect(new Set(sequenceNumbers).size).toBe(64);

  const kinesis = emulatorClient(KinesisClient, target());
  const iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'burst', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
  const stored = (Records ?? []).map((r) => Buffer.from(r.Data ?? new Uint8Array()).toString('utf8'));
  expect(stored.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 64 }, (_, i) => String(i)));
});
