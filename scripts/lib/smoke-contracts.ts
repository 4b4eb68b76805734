import { CUSTOMERS, smokeCustomers } from './smoke-customers';
import { COMMENTS, smokeComments } from './smoke-comments';
import { KINESIS_PROXY, smokeKinesisProxy } from './smoke-kinesis-proxy';
import { KINESIS_PUTRECORD, smokeKinesisPutRecord } from './smoke-kinesis-putrecord';
import { SmokeRun } from './smoke-runner';
import { SmokeTarget } from './smoke-target';
import { smokeWebhook, WEBHOOK } from './smoke-webhook';

/** Every pipeline's smoke contract, by stack name. */
export interface ContractFlags {
  /** On AWS, also wait for the poison submission to reach the DLQ (minutes). */
  readonly waitForDlqOnAws: boolean;
}

export const CONTRACTS: Readonly<Record<string, (run: SmokeRun, target: SmokeTarget, flags: ContractFlags) => Promise<void>>> = {
  [CUSTOMERS]: smokeCustomers,
  [COMMENTS]: smokeComments,
  [KINESIS_PROXY]: smokeKinesisProxy,
  [KINESIS_PUTRECORD]: smokeKinesisPutRecord,
  [WEBHOOK]: (run, target, flags) => smokeWebhook(run, target, flags),
};

/** Runs the contracts of `stacks` side by side (they are independent), then the cleanups and the summary; resolves with the exit code. */
export async function runContracts(run: SmokeRun, target: SmokeTarget, stacks: readonly string[], flags: ContractFlags, startedAt = Date.now()): Promise<number> {
  await Promise.all(stacks.map((stack) => CONTRACTS[stack](run, target, flags)));
  return run.finish(startedAt);
}
