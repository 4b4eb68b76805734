/**
 * What a mapping's poller reports about itself, in the fields of Lambda's
 * EventSourceMappingConfiguration: `State` and `LastProcessingResult` ("No records processed" before
 * any batch, as in the API's GetEventSourceMapping example; "OK" after one; "PROBLEM: …" while the
 * event source refuses the execution role, quoting the service's refusal: AWS does not document
 * the exact wording of that field).
 * https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html
 *
 * Lambda reads an event source with its execution role's permissions
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions,
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html): when the source refuses the
 * role, nothing is received, invoked, deleted or checkpointed; the poller tries again every
 * `retryMs`, so a permission granted again resumes the mapping where it stopped.
 */
export interface MappingStatus {
  readonly uuid: string;
  readonly eventSourceArn: string;
  readonly functionArn: string;
  readonly state: 'Enabled';
  readonly lastProcessingResult: string;
}

export const REFUSED_RETRY_MS = 5000;

/** The error names the SDK gives a refusal of the role by IAM or by the source's KMS key. */
const REFUSALS = new Set(['AccessDeniedException', 'AccessDenied', 'KMSAccessDeniedException', 'KmsAccessDenied', 'UnrecognizedClientException']);

export class MappingHealth {
  private result = 'No records processed';
  private problem?: string;
  private processedAny = false;

  constructor(
    private readonly mapping: Omit<MappingStatus, 'state' | 'lastProcessingResult'>,
    private readonly log: (line: string) => void,
    readonly retryMs = REFUSED_RETRY_MS,
  ) {}

  get status(): MappingStatus {
    return { ...this.mapping, state: 'Enabled', lastProcessingResult: this.result };
  }

  /** A call as the role succeeded (a receive, a read): a refusal before it is over. */
  allowed(): void {
    if (!this.problem) return;
    this.log(`event source mapping ${this.mapping.uuid}: the event source answers its execution role again; resumed`);
    this.problem = undefined;
    this.result = this.processedAny ? 'OK' : 'No records processed';
  }

  /** A batch went to the function. */
  processed(): void {
    this.allowed();
    this.processedAny = true;
    this.result = 'OK';
  }

  /** True when `error` is the source refusing the execution role: recorded and logged once per distinct refusal. */
  refused(error: unknown): boolean {
    const name = (error as { name?: unknown })?.name;
    if (typeof name !== 'string' || !REFUSALS.has(name)) return false;
    const problem = `PROBLEM: ${name}: ${(error as Error).message}`;
    if (problem !== this.problem) {
      this.log(`event source mapping ${this.mapping.uuid}: ${problem}; nothing is received, invoked or deleted until the role is allowed (retried every ${this.retryMs / 1000} s)`);
    }
    this.problem = problem;
    this.result = problem;
    return true;
  }
}
