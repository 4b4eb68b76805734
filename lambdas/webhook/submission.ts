import * as z from 'zod/mini';
import { describeIssues } from '../shared/http';
import { text } from '../shared/text';

/** The body a client POSTs to /submit, as it arrives in the queue. */
export const submission = z.object({
  // The idempotency key: a redelivered or re-sent submission with the same id is stored once.
  eventId: text({ max: 256 }),
  // Free text, documented as multi-line, kept exactly as sent; the queue's message size bounds it.
  message: text({ multiline: true, trim: false }),
});

export type Submission = z.infer<typeof submission>;

/** A message that can never succeed, however often it is retried; it belongs in the DLQ. */
export class PoisonMessageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PoisonMessageError';
  }
}

/** The submission in a queue message body, or a PoisonMessageError saying why there is none. */
export function parseSubmission(body: string): Submission {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PoisonMessageError('body is not JSON');
  }
  const result = submission.safeParse(json);
  if (!result.success) {
    throw new PoisonMessageError(`body is not a submission (${describeIssues(result.error).join('; ')})`);
  }
  return result.data;
}
