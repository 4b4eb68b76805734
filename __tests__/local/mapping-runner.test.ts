import { zipSync } from 'fflate';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, EventSourceMappingConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_MAPPING_RUNNER, LOCAL_MAPPING_TAG } from '../../lib/local-target';
import { runnerOf } from '../../local/event-sources/event-sources';
import { useEmulator } from '../support/moto';

/**
 * Why `deploy:local` deploys each SQS mapping disabled in moto and the local data plane runs it:
 * moto 5.2 runs an enabled SQS mapping itself inside every SendMessage (moto/sqs/models.py,
 * `Queue.add_message`): it receives the queued messages, which raises their receive count, fails to
 * invoke the function without Docker and makes them visible again, so valid messages reach the
 * dead-letter queue after maxReceiveCount sends. It skips a mapping whose Enabled is false.
 */
useEmulator();
let sqs: SQSClient;
let lambda: LambdaClient;
let functionArn: string;

beforeAll(async () => {
  sqs = new SQSClient({});
  lambda = new LambdaClient({});
  const role = await new IAMClient({}).send(new CreateRoleCommand({ RoleName: 'mapping-runner', AssumeRolePolicyDocument: '{}' }));
  const zip = zipSync({ 'index.js': new TextEncoder().encode('exports.handler = async () => ({});') });
  const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'mapping-runner', Runtime: 'nodejs22.x', Role: role.Role!.Arn!, Handler: 'index.handler', Code: { ZipFile: zip } }));
  functionArn = fn.FunctionArn!;
});

const MAX_RECEIVE_COUNT = 3;

async function queueWithMapping(name: string, mapping: { Enabled: boolean; Tags?: Record<string, string> }) {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
  const redrive = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVE_COUNT });
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { RedrivePolicy: redrive, VisibilityTimeout: '180' } }));
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
  const esm = await lambda.send(new CreateEventSourceMappingCommand({ EventSourceArn: queueArn, FunctionName: functionArn, ...mapping }));
  for (let i = 0; i < 2 * MAX_RECEIVE_COUNT; i++) await sqs.send(new SendMessageCommand({ QueueUrl: queue.QueueUrl, MessageBody: `m${i}` }));
  const count = async (url: string | undefined) =>
    Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages);
  return { esm: esm as EventSourceMappingConfiguration, queueUrl: queue.QueueUrl!, inQueue: () => count(queue.QueueUrl), inDlq: () => count(dlq.QueueUrl) };
}

it('moto runs an enabled SQS mapping inside SendMessage: valid messages reach the DLQ without any consumer', async () => {
  const q = await queueWithMapping('enabled-in-moto', { Enabled: true });
  expect(await q.inDlq()).toBeGreaterThan(0);
  expect(await runnerOf(lambda, q.esm)).toBe('moto too');
});

it('moto leaves a disabled mapping alone: every message stays queued, received for the first time by its consumer', async () => {
  const q = await queueWithMapping('disabled-in-moto', { Enabled: false, Tags: { [LOCAL_MAPPING_TAG]: LOCAL_MAPPING_RUNNER } });
  expect(await q.inDlq()).toBe(0);
  expect(await q.inQueue()).toBe(2 * MAX_RECEIVE_COUNT);
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  expect((Messages ?? []).map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(Array(2 * MAX_RECEIVE_COUNT).fill('1'));
  expect(await runnerOf(lambda, q.esm)).toBe('local plane');
});

it('runs nobody\'s mapping that its owner deployed disabled (no local tag), as AWS would not run it', async () => {
  const q = await queueWithMapping('disabled-by-owner', { Enabled: false });
  expect(await runnerOf(lambda, q.esm)).toBe('nobody');
});
