import { Testing, TerraformStack } from 'cdktf';
import { buildStacks } from '../../stacks';
import { testConfig, TfJson } from './synth';

let cache: Map<string, TfJson> | undefined;

/** Every stack the app builds with the default configuration, synthesized once per test file. */
export function allStacks(): Map<string, TfJson> {
  if (cache) return cache;
  const app = Testing.app();
  buildStacks(app, testConfig());
  cache = new Map();
  for (const child of app.node.children) {
    if (child instanceof TerraformStack) cache.set(child.node.id, JSON.parse(Testing.synth(child)) as TfJson);
  }
  return cache;
}
