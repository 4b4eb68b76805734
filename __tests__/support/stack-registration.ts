import { synthesizedApp } from './synth';
import { TfJson } from './tf-json';

/** What every pipeline stack promises: the app builds it under its id, with its own state key. */
export function describeRegistration(stackId: string, tf: TfJson): void {
  describe(`${stackId}: registration and state`, () => {
    it('is built by buildStacks under its stack id', () => {
      expect(synthesizedApp().stacks.map((s) => s.id)).toContain(stackId);
    });

    it('keeps its state under its own key', () => {
      expect((tf.terraform as { backend: { s3: { key: string } } }).backend.s3.key).toBe(`serverless-pipelines/dev/${stackId}.tfstate`);
    });
  });
}
