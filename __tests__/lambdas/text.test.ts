import Ajv from 'ajv-draft-04';
import { codePointLength, email, text } from '../../lambdas/shared/text';
import { MULTILINE_TEXT_PATTERN, TEXT_PATTERN } from '../../lambdas/shared/text-patterns';

/**
 * The handlers' text rule (zod) and the API models' patterns (JSON Schema, draft 4) must accept
 * exactly the same strings, so a value means the same whether a model or a handler guards a route.
 */

const SAMPLES = [
  'plain',
  'Zoë',
  '🎉🎉🎉🎉🎉',
  '🎉🎉🎉🎉🎉🎉',
  'こんにちは',
  'a\u0000b',
  'bell\u0007',
  '\u001b[31m',
  'back\b',
  'del\u007f',
  'c1\u0085',
  'tab\there',
  'two\nlines',
  'cr\r\nlf',
  'high\ud83d',
  '\udc00low',
  '\udc00\ud83d',
  '\ud83d\ud83d',
  'x',
  '',
  'abcdef',
  'right-to-left \u202e',
];

function modelAccepts(pattern: string, max: number): (value: string) => boolean {
  const validate = new Ajv().compile({ type: 'string', minLength: 1, maxLength: max, pattern });
  return (value) => validate(value) === true;
}

describe.each([
  ['single-line', TEXT_PATTERN, false],
  ['multi-line', MULTILINE_TEXT_PATTERN, true],
] as const)('%s text', (_, pattern, multiline) => {
  const handler = text({ max: 5, multiline, trim: false });
  const model = modelAccepts(pattern, 5);

  it.each(SAMPLES)('the handler and the model agree on %j', (value) => {
    expect(handler.safeParse(value).success).toBe(model(value));
  });

  it('the pattern means the same with and without the regex `u` flag (as in API Gateway and in ajv)', () => {
    const plain = new RegExp(pattern);
    const unicode = new RegExp(pattern, 'u');
    expect(SAMPLES.filter((s) => plain.test(s) !== unicode.test(s))).toEqual([]);
  });
});

describe('text', () => {
  it('allows line breaks and tabs only in multi-line text', () => {
    expect(text({ max: 20 }).safeParse('a\nb').success).toBe(false);
    expect(text({ max: 20, multiline: true }).safeParse('a\r\n\tb').success).toBe(true);
    expect(text({ max: 20, multiline: true }).safeParse('a\u000bb').success).toBe(false);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('🎉'.repeat(3))).toBe(3);
    expect(text({ max: 3 }).safeParse('🎉'.repeat(3)).success).toBe(true);
    expect(text({ max: 3 }).safeParse('🎉'.repeat(4)).success).toBe(false);
  });

  it('trims before checking, unless told not to', () => {
    expect(text({ max: 3 }).parse('  abc  ')).toBe('abc');
    expect(text({ max: 3 }).safeParse('   ').success).toBe(false);
    expect(text({ max: 7, trim: false }).parse('  abc  ')).toBe('  abc  ');
  });
});

describe('email', () => {
  it.each(['jane@example.com', "o'brien+tag@example.co.uk", 'x@localhost', 'a.b-c_d@sub-domain.example'])('accepts %s', (value) => {
    expect(email().safeParse(value).success).toBe(true);
  });

  it.each([
    'jane',
    'jane@',
    '@example.com',
    'jane@exa mple.com',
    'jane@-example.com',
    'jane@example-.com',
    '"jane doe"@example.com',
    'Jane <jane@example.com>',
    '<script>x</script>@example.com',
    'jane\u0000@example.com',
    'jane@exam\nple.com',
    'jäne@example.com',
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
  ])('refuses %j', (value) => {
    expect(email().safeParse(value).success).toBe(false);
  });

  it('trims and lower-cases', () => {
    expect(email().parse('  Jane@Example.COM ')).toBe('jane@example.com');
  });
});
