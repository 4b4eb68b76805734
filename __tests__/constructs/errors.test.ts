import { Construct } from 'constructs';
import { ConstructValidationError, constructProblemsMessage, throwIfProblems } from '../../lib/constructs/errors';
import { testStack } from '../support/synth';

class Widget extends Construct {}

describe('construct validation messages', () => {
  const widget = new Widget(testStack(), 'W');

  it('name the construct class and path, then every problem, in one sentence', () => {
    expect(constructProblemsMessage(widget, ['size 0 must be positive', 'name "" must not be empty'])).toBe(
      'Widget test/W: size 0 must be positive; name "" must not be empty.',
    );
  });

  it('throw only when there are problems, with the problems kept for callers', () => {
    expect(() => throwIfProblems(widget, [])).not.toThrow();
    try {
      throwIfProblems(widget, ['a', 'b']);
      throw new Error('expected a ConstructValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConstructValidationError);
      expect((error as ConstructValidationError).problems).toEqual(['a', 'b']);
    }
  });
});
