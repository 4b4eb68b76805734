import { z } from 'zod';

// A pragmatic address check: one "@", no spaces, a dot in the domain. RFC 5322 in full accepts
// addresses no mail system delivers to; the point is to catch typos at the door.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

const email = z
  .string({ error: 'must be a string' })
  .trim()
  .max(254, 'must be at most 254 characters')
  .regex(EMAIL_PATTERN, 'must be an e-mail address such as jane@example.com')
  .transform((value) => value.toLowerCase());

const text = (max: number) =>
  z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const address = z
  .strictObject({
    line1: text(200),
    line2: text(200).optional(),
    city: text(100),
    postalCode: text(20),
    country: z.string({ error: 'must be a string' }).regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE'),
  })
  .describe('address');

/** The fields a client owns; id and timestamps belong to the service. */
export const customerInput = z.strictObject({
  name: text(200),
  email,
  phone: z
    .string({ error: 'must be a string' })
    .regex(/^\+[1-9]\d{6,14}$/, 'must be in E.164 form such as +4930123456')
    .optional(),
  address: address.optional(),
});

export const emailInput = z.strictObject({ email });

export type CustomerInput = z.infer<typeof customerInput>;

export interface Customer extends CustomerInput {
  readonly customerId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

// The service issues UUIDs; anything else can only be a typo or a probe.
export const customerIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
