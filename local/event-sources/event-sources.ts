import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { EventSourceMappingConfiguration, LambdaClient, ListEventSourceMappingsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { emulatorClient, EmulatorTarget } from '../aws/clients';
import { LOCAL_MAPPING_RUNNER, LOCAL_MAPPING_TAG } from '../../lib/local-target';
import { DeployedStack } from '../deployment/local-deployment';
import { FunctionRegistry } from '../lambda/functions';
import { Checkpoints } from './checkpoints';
import { KinesisMapping } from './kinesis-mapping';
import { MappingHealth, MappingStatus } from './mapping-health';
import { SqsMapping } from './sqs-mapping';
import { findLocalDestinations, TableKinesisForwarder } from './table-kinesis-destination';

/**
 * Runs the deployed event source mappings (read from the emulator's ListEventSourceMappings) and
 * the DynamoDB-to-Kinesis destinations recorded for the local target.
 */
export interface EventSourcesOptions {
  readonly target: EmulatorTarget;
  readonly functions: FunctionRegistry;
  readonly stacks: readonly DeployedStack[];
  readonly log: (line: string) => void;
  readonly sqsRetrySeconds?: number;
  /** File that keeps the Kinesis mappings' positions across restarts. @default none (start from the starting position) */
  readonly checkpointFile?: string;
}

export interface RunningEventSources {
  readonly notices: string[];
  /** Each mapping run here, as GetEventSourceMapping would describe its state. */
  mappings(): MappingStatus[];
  /** Lets the batches in flight finish, then stops. */
  stop(): Promise<void>;
  /** Stops at once, as a crash would: batches in flight are neither deleted, checkpointed nor forwarded. */
  abandon(): void;
}

/** What every poller offers the data plane. */
interface Poller {
  stop(): Promise<void>;
  abandon(): void;
}

export async function startEventSources(options: EventSourcesOptions): Promise<RunningEventSources> {
  const { target, functions, log } = options;
  const lambda = emulatorClient(LambdaClient, target);
  const sqs = emulatorClient(SQSClient, target);
  const kinesis = emulatorClient(KinesisClient, target);
  const dynamodb = emulatorClient(DynamoDBClient, target);
  const streams = emulatorClient(DynamoDBStreamsClient, target);
  const notices: string[] = [];
  const running: Poller[] = [];
  const health: MappingHealth[] = [];
  const checkpoints = new Checkpoints(options.checkpointFile);

  const mappings = [];
  let marker: string | undefined;
  for (let page = 0; page < 100; page++) {
    const listed = await lambda.send(new ListEventSourceMappingsCommand({ Marker: marker }));
    mappings.push(...(listed.EventSourceMappings ?? []));
    marker = listed.NextMarker;
    if (!marker) break;
  }
  for (const m of mappings) {
    const arn = m.EventSourceArn ?? '';
    const runner = await runnerOf(lambda, m);
    if (runner === 'nobody') continue;
    if (runner === 'moto too' && arn.startsWith('arn:aws:sqs:')) {
      notices.push(`SQS mapping ${m.UUID} is enabled in the emulator, which runs it too on every SendMessage (raising receive counts): deploy it with \`npm run deploy:local\` (disabled in moto, tagged ${LOCAL_MAPPING_TAG}=${LOCAL_MAPPING_RUNNER})`);
    }
    const reportBatchItemFailures = (m.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures');
    if (m.FilterCriteria?.Filters?.length) notices.push(`event source mapping ${m.UUID}: filter criteria are not applied locally`);
    const asRole = executionRoleClients(functions, m.FunctionArn!, target.region);
    if (arn.startsWith('arn:aws:sqs:')) {
      const mapping = new SqsMapping(
        {
          uuid: m.UUID!,
          queueArn: arn,
          functionArn: m.FunctionArn!,
          batchSize: m.BatchSize ?? 10,
          reportBatchItemFailures,
          region: target.region,
          retrySeconds: options.sqsRetrySeconds,
        },
        sqs,
        functions,
        log,
        async () => (await asRole()).sqs,
      );
      mapping.start();
      running.push(mapping);
      health.push(mapping.health);
      if ((m.MaximumBatchingWindowInSeconds ?? 0) > 0) notices.push(`SQS mapping ${m.UUID}: its batching window is not applied locally (each receive of up to 10 messages is one batch)`);
      if (m.ScalingConfig?.MaximumConcurrency) notices.push(`SQS mapping ${m.UUID}: one poller locally (maximum concurrency ${m.ScalingConfig.MaximumConcurrency} on AWS)`);
    } else if (arn.startsWith('arn:aws:kinesis:')) {
      const mapping = new KinesisMapping(
        {
          uuid: m.UUID!,
          streamArn: arn,
          functionArn: m.FunctionArn!,
          batchSize: m.BatchSize ?? 100,
          batchingWindowSeconds: m.MaximumBatchingWindowInSeconds ?? 0,
          startingPosition: (m.StartingPosition as 'TRIM_HORIZON' | 'LATEST' | undefined) ?? 'LATEST',
          reportBatchItemFailures,
          bisectOnError: m.BisectBatchOnFunctionError ?? false,
          maxRetryAttempts: m.MaximumRetryAttempts ?? -1,
          maxRecordAgeSeconds: m.MaximumRecordAgeInSeconds ?? -1,
          onFailureArn: m.DestinationConfig?.OnFailure?.Destination,
          region: target.region,
        },
        kinesis,
        sqs,
        functions,
        log,
        checkpoints,
        asRole,
      );
      await mapping.start();
      running.push(mapping);
      health.push(mapping.health);
      if ((m.ParallelizationFactor ?? 1) > 1) notices.push(`Kinesis mapping ${m.UUID}: parallelization factor ${m.ParallelizationFactor} is run as 1 locally`);
    } else {
      notices.push(`event source mapping ${m.UUID} on ${arn} is not supported locally (only SQS and Kinesis)`);
    }
    void functions.get(m.FunctionArn!).catch((e: Error) => log(`cannot load ${m.FunctionArn}: ${e.message}`));
  }

  for (const destination of await findLocalDestinations(dynamodb)) {
    const forwarder = new TableKinesisForwarder(destination, { dynamodb, streams, kinesis }, target.region, log, checkpoints);
    await forwarder.start();
    running.push(forwarder);
    notices.push(
      `emulated: Kinesis Data Streams for DynamoDB (moto lacks it): changes of table ${destination.tableName} are forwarded to ${destination.streamArn.split('/').pop()} while serve:local runs`,
    );
  }
  return {
    notices,
    mappings: () => health.map((h) => h.status),
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
    },
    abandon() {
      for (const r of running) r.abandon();
    },
  };
}

/**
 * SQS and Kinesis clients signing as the mapping's function's execution role, sent where the
 * function's own SDK calls go (the IAM-evaluating proxy of the local plane), built once the
 * function has loaded.
 */
function executionRoleClients(functions: FunctionRegistry, functionArn: string, region: string): () => Promise<{ sqs: SQSClient; kinesis: KinesisClient }> {
  let clients: Promise<{ sqs: SQSClient; kinesis: KinesisClient }> | undefined;
  return () => {
    clients ??= functions.get(functionArn).then(({ sdk }) => {
      const config = { endpoint: sdk.endpoint, region, credentials: sdk.credentials, requestHandler: new NodeHttpHandler({ connectionTimeout: 2000 }), maxAttempts: 2 };
      return { sqs: new SQSClient(config), kinesis: new KinesisClient(config) };
    });
    clients.catch(() => (clients = undefined));
    return clients;
  };
}

/**
 * Who runs a mapping: `deploy:local` deploys each enabled mapping disabled in the emulator and
 * tagged for this data plane (see MappingsRunByLocalPlane); a mapping enabled in the emulator is
 * run here as well; a mapping deployed disabled by its owner is run by nobody, as on AWS.
 */
export async function runnerOf(lambda: LambdaClient, m: EventSourceMappingConfiguration): Promise<'local plane' | 'moto too' | 'nobody'> {
  if (!m.State || m.State === 'Enabled') return 'moto too';
  if (!m.EventSourceMappingArn) return 'nobody';
  const { Tags } = await lambda.send(new ListTagsCommand({ Resource: m.EventSourceMappingArn }));
  return Tags?.[LOCAL_MAPPING_TAG] === LOCAL_MAPPING_RUNNER ? 'local plane' : 'nobody';
}
