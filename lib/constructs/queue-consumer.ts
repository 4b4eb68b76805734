import { Construct } from 'constructs';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { throwIfProblems } from './errors';
import { MessageQueue } from './message-queue';
import { NodejsFunction } from './nodejs-function';

export interface QueueConsumerProps {
  readonly queue: MessageQueue;
  /** Handler that returns `{ batchItemFailures }` (e.g. Powertools `processPartialResponse`). */
  readonly function: NodejsFunction;
  /** Messages per invocation (1-10 without a batching window). @default 10 */
  readonly batchSize?: number;
  /** Most concurrent invocations the queue may drive (2-1000): protects what the function writes to. @default 5 */
  readonly maximumConcurrency?: number;
}

/** The factor AWS recommends between a queue's visibility timeout and its consumer's timeout. */
export const VISIBILITY_TO_TIMEOUT_RATIO = 6;

/**
 * Feeds a queue to a Lambda function: exactly the receive/delete rights on that queue, and an event
 * source mapping that reports partial batch failures (only the failed messages are retried, and
 * only they reach the dead-letter queue) with a cap on concurrency.
 *
 * Refuses a queue whose visibility timeout is under six times the function's timeout, or a slow
 * batch would become visible again and be processed twice while still running; and a queue without
 * a dead-letter queue, or a message that always fails would be retried until it expires.
 */
export class QueueConsumer extends Construct {
  readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    const batchSize = props.batchSize ?? 10;
    const maximumConcurrency = props.maximumConcurrency ?? 5;
    const visibility = props.queue.visibilityTimeoutSeconds;
    const timeout = props.function.timeoutSeconds;

    const problems: string[] = [];
    if (visibility < VISIBILITY_TO_TIMEOUT_RATIO * timeout) {
      problems.push(
        `the queue's visibility timeout (${visibility}s) is under ${VISIBILITY_TO_TIMEOUT_RATIO}x the function's timeout (${timeout}s); set visibilityTimeoutSeconds to at least ${VISIBILITY_TO_TIMEOUT_RATIO * timeout}`,
      );
    }
    if (props.queue.deadLetterQueue === undefined) {
      problems.push('the queue has no dead-letter queue; give the MessageQueue a maxReceiveCount');
    }
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) problems.push(`batchSize ${batchSize} must be from 1 to 10`);
    if (!Number.isInteger(maximumConcurrency) || maximumConcurrency < 2 || maximumConcurrency > 1000) {
      problems.push(`maximumConcurrency ${maximumConcurrency} must be from 2 to 1000 (the event source mapping's limits)`);
    }
    throwIfProblems(this, problems);

    props.queue.grantConsumeMessages(props.function);

    // Lambda checks the role's rights when the mapping is created, so the policy must exist first.
    this.mapping = new LambdaEventSourceMapping(this, 'Mapping', {
      eventSourceArn: props.queue.arn,
      functionName: props.function.arn,
      batchSize,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency },
      dependsOn: [props.function.role.policy],
    });
  }
}
