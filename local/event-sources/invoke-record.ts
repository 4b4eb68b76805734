import { FunctionRegistry } from '../lambda/functions';

/** Outcome of one batch delivered to a function by an event source mapping. */
export type BatchOutcome =
  | { readonly kind: 'success' }
  /** The identifiers (messageId / sequenceNumber) the function reported as failed, in batch order. */
  | { readonly kind: 'partial'; readonly failed: readonly string[] }
  | { readonly kind: 'error'; readonly functionError: string; readonly requestId: string };

/**
 * Invokes the function with a batch and reads a partial batch response. A response that names an
 * identifier not in the batch, or an entry without one, fails the whole batch, as Lambda treats it.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 */
export async function deliverBatch(
  functions: FunctionRegistry,
  functionArn: string,
  event: unknown,
  identifiers: readonly string[],
  reportBatchItemFailures: boolean,
): Promise<BatchOutcome> {
  const fn = await functions.get(functionArn);
  const outcome = await fn.invoke(event);
  if (!outcome.ok) return { kind: 'error', functionError: outcome.error.errorType, requestId: outcome.requestId };
  if (!reportBatchItemFailures) return { kind: 'success' };
  const failures = (outcome.result as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'error', functionError: 'InvalidBatchItemFailures', requestId: outcome.requestId };
  const failed: string[] = [];
  for (const entry of failures as { itemIdentifier?: unknown }[]) {
    const id = entry?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !identifiers.includes(id)) return { kind: 'partial', failed: [...identifiers] };
    failed.push(id);
  }
  return failed.length === 0 ? { kind: 'success' } : { kind: 'partial', failed: identifiers.filter((i) => failed.includes(i)) };
}
