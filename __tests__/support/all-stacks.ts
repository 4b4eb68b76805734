import { synthesizedApp } from './synth';
import { TfJson } from './tf-json';

/** Every stack the app builds with the default configuration: this run's shared synthesis. */
export function allStacks(): Map<string, TfJson> {
  return new Map(synthesizedApp().stacks.map((s) => [s.id, s.tf]));
}
