import { randomUUID } from 'crypto';

/** A new customer id: a random (v4) UUID from Node's CSPRNG. */
export function newCustomerId(): string {
  return randomUUID();
}
