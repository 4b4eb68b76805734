import { z } from 'zod';

/** The body a client POSTs to /submit, as it arrives in the queue. */
export const submission = z.object({
  // The idempotency key: a redelivered or re-sent submission with the same id is stored once.
  eventId: z.string().trim().min(1).max(256),
  message: z.string().min(1),
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
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new PoisonMessageError(`body is not a submission (${issues.join('; ')})`);
  }
  return result.data;
}
