/**
 * The rules of `lambdas/shared/text.ts` as JSON Schema `pattern`s, for API Gateway models (draft 4).
 * No imports, so stacks can use them without pulling handler code into synthesis.
 *
 * Written with explicit \u ranges, which mean the same to ECMA-262 regexes with or without the `u`
 * flag (ajv, the tests' validator, uses `u`) and to java.util.regex, so a model behaves alike in API
 * Gateway and in the tests. A surrogate passes only as the first half of a pair followed by its
 * second half: an unpaired one cannot be encoded as UTF-8, and the service behind the API would
 * refuse the request with an error the client cannot act on.
 */
const SINGLE_LINE = '[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]';
// The same, with tab (U+0009), line feed (U+000A) and carriage return (U+000D) allowed.
const MULTI_LINE = '[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]';
const SURROGATE_PAIR = '[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]';

/** Well-formed Unicode without control characters (general category Cc). */
export const TEXT_PATTERN = `^(?:${SINGLE_LINE}|${SURROGATE_PAIR})*$`;
/** Well-formed Unicode without control characters other than line breaks and tabs. */
export const MULTILINE_TEXT_PATTERN = `^(?:${MULTI_LINE}|${SURROGATE_PAIR})*$`;
