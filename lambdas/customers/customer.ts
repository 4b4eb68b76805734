import * as z from 'zod/mini';
import { email, text } from '../shared/text';

// Postal lines are single-line text: a line break in `line1` would be a second, unchecked line.
const address = z.strictObject({
  line1: text({ max: 200 }),
  line2: z.optional(text({ max: 200 })),
  city: text({ max: 100 }),
  postalCode: text({ max: 20 }),
  country: z.string({ error: 'must be a string' }).check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE')),
});

/** The fields a client owns; id and timestamps belong to the service. */
export const customerInput = z.strictObject({
  name: text({ max: 200 }),
  email: email(),
  phone: z.optional(z.string({ error: 'must be a string' }).check(z.regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form such as +4930123456'))),
  address: z.optional(address),
});

export const emailInput = z.strictObject({ email: email() });

export type CustomerInput = z.infer<typeof customerInput>;

export interface Customer extends CustomerInput {
  readonly customerId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

// The service issues UUIDs; anything else can only be a typo or a probe.
export const customerIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
