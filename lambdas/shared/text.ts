import * as z from 'zod/mini';

/**
 * Client text, checked the same way in every handler and in every API Gateway model
 * (`TEXT_PATTERN`, `MULTILINE_TEXT_PATTERN`): well-formed Unicode, no control characters except
 * line breaks and tabs in fields documented as multi-line, and lengths counted in code points,
 * as JSON Schema's maxLength counts them, so "🎉" is one character in the model and here alike.
 */

// An unpaired UTF-16 surrogate cannot be encoded as UTF-8: DynamoDB (and any other JSON service)
// refuses the whole request, which would surface as a 5xx. With the `u` flag a paired surrogate is
// one code point, so \p{Cs} matches only unpaired ones.
const LONE_SURROGATE = /\p{Cs}/u;
// C0, DEL and C1 (general category Cc): NUL, BEL, ESC sequences, backspaces and the like.
const CONTROL = /\p{Cc}/u;
// The same, less tab, line feed and carriage return.
const CONTROL_BUT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;

/** Length in code points: astral characters (emoji, many CJK ideographs) count once. */
export function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

export interface TextOptions {
  /** Most code points allowed (after trimming). @default no limit */
  readonly max?: number;
  /** @default 1 */
  readonly min?: number;
  /** Line breaks and tabs are allowed. @default false */
  readonly multiline?: boolean;
  /** Leading and trailing white space is removed before the other checks. @default true */
  readonly trim?: boolean;
}

/** A string field a client sends; every failure is an issue on that field. */
export function text(options: TextOptions): z.ZodMiniString<string> {
  const { max, min = 1, multiline = false, trim = true } = options;
  const schema = z.string({ error: 'must be a string' });
  return schema.check(
    ...(trim ? [z.trim()] : []),
    z.refine<string>((value) => !LONE_SURROGATE.test(value), 'must be well-formed Unicode (it holds an unpaired surrogate)'),
    multiline
      ? z.refine<string>((value) => !CONTROL_BUT_LINE_BREAKS.test(value), 'must not contain control characters other than line breaks and tabs')
      : z.refine<string>((value) => !CONTROL.test(value), 'must not contain control characters'),
    z.refine<string>((value) => value.length >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`),
    ...(max === undefined ? [] : [z.refine<string>((value) => codePointLength(value) <= max, `must be at most ${max} characters`)]),
  );
}

/**
 * An e-mail address as the WHATWG HTML standard defines a "valid e-mail address" (the syntax
 * browsers check for <input type="email">): https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address
 * RFC 5322 in full accepts quoted strings, comments and spaces no mail system delivers to; this
 * production is the practical subset, and it has no room for markup or control characters.
 */
export const WHATWG_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

// RFC 5321's limit on a forward path (256 octets, less the angle brackets): longer is undeliverable.
export const EMAIL_MAX_LENGTH = 254;

/** An e-mail address, trimmed and lower-cased; at most 254 characters. */
export function email(): z.ZodMiniPipe<z.ZodMiniString<string>, z.ZodMiniTransform<string, string>> {
  return z.pipe(
    z.string({ error: 'must be a string' }).check(
      z.trim(),
      z.refine<string>((value) => value.length <= EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`),
      z.refine<string>((value) => WHATWG_EMAIL.test(value), 'must be an e-mail address such as jane@example.com'),
    ),
    z.transform((value: string) => value.toLowerCase()),
  );
}
