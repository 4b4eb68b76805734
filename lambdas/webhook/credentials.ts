import { createHash, timingSafeEqual } from 'crypto';
import * as z from 'zod/mini';

/** The value the secret holds: one Basic-auth login. */
export const storedCredentials = z.object({
  username: z.string().check(z.minLength(1), z.regex(/^[^:]+$/, 'must not contain ":" (Basic auth splits on the first colon)')),
  password: z.string().check(z.minLength(1)),
});

export type Credentials = z.infer<typeof storedCredentials>;

/** The credentials in a secret string, or undefined if it is not `{"username","password"}` JSON. */
export function parseStoredCredentials(secretString: string | undefined): Credentials | undefined {
  if (secretString === undefined) return undefined;
  try {
    const parsed = storedCredentials.safeParse(JSON.parse(secretString));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// RFC 7617 token68: base64 alphabet with up to two trailing "=".
const BASIC_HEADER = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/**
 * The username and password of an `Authorization: Basic ...` header, or undefined when the header
 * is missing, uses another scheme, is not valid base64 or has no colon.
 */
export function parseBasicAuthorization(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const match = BASIC_HEADER.exec(header.trim());
  if (!match || match[1].length % 4 !== 0) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Compares both fields in time independent of where they differ: each side is hashed to a fixed
 * length first (timingSafeEqual needs equal lengths, and comparing lengths would leak them), and
 * both comparisons always run.
 */
export function credentialsMatch(presented: Credentials, expected: Credentials): boolean {
  const userOk = timingSafeEqual(digest(presented.username), digest(expected.username));
  const passwordOk = timingSafeEqual(digest(presented.password), digest(expected.password));
  return userOk && passwordOk;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** `Basic base64(username:password)`, the header value a client sends. */
export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}
