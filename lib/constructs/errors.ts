import { IConstruct } from 'constructs';

/**
 * The one format of a construct's validation message: the construct's class and path (so the
 * reader finds it in the stack), then every problem, each saying what to change.
 *
 * `ConstructName stack/Path: problem one; problem two.`
 */
export function constructProblemsMessage(construct: IConstruct, problems: readonly string[]): string {
  return `${construct.constructor.name} ${construct.node.path}: ${problems.join('; ')}.`;
}

/** Thrown by a construct whose props cannot be deployed; lists every problem at once. */
export class ConstructValidationError extends Error {
  constructor(construct: IConstruct, readonly problems: readonly string[]) {
    super(constructProblemsMessage(construct, problems));
    this.name = 'ConstructValidationError';
  }
}

/** Throws once, listing every problem, when there are any. */
export function throwIfProblems(construct: IConstruct, problems: readonly string[]): void {
  if (problems.length > 0) throw new ConstructValidationError(construct, problems);
}

/**
 * Registers a check that runs at synth time, for problems that only show once the whole stack is
 * built (e.g. a role nobody granted anything). Messages use the same format as thrown ones.
 */
export function validateAtSynth(construct: IConstruct, check: () => readonly string[]): void {
  construct.node.addValidation({
    validate: () => {
      const problems = check();
      return problems.length > 0 ? [constructProblemsMessage(construct, problems)] : [];
    },
  });
}
