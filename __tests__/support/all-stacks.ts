import { ConfigOverrides } from './shared-synthesis';
import { synthesizedApp } from './synth';
import { TfJson } from './tf-json';

/** Every stack the app builds with `overrides` (default: none), by id: this run's shared synthesis when it has them. */
export function allStacks(overrides: ConfigOverrides = {}): Map<string, TfJson> {
  return new Map(synthesizedApp(overrides).stacks.map((s) => [s.id, s.tf]));
}
