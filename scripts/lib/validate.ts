import { SynthesizedStack } from './synth';
import { forEachLimited, init, Timings, validate } from './stacks';

/**
 * `terraform init -backend=false` + `terraform validate` for every stack: proves the synthesized
 * JSON is Terraform the AWS provider accepts, with no credentials and no backend. Two stacks at a
 * time: init is I/O-bound and validate spends most of its time loading the provider schema.
 */
export async function validateStacks(stacks: readonly SynthesizedStack[], timings: Timings, echo = false): Promise<void> {
  await forEachLimited(stacks, 2, async (stack) => {
    await timings.time(`init ${stack.name}`, () => init(stack, { backend: false, echo }));
    await timings.time(`validate ${stack.name}`, () => validate(stack, { echo }));
  });
}
