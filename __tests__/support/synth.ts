import type { App, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { loadConfig, PipelinesConfig } from '../../lib/config';
import type { NodejsFunction } from '../../lib/constructs/nodejs-function';
import { ConfigOverrides, readSharedApp, SynthesizedApp } from './shared-synthesis';
import { TfJson } from './tf-json';

export { dataOf, logicalIdOf, onlyResource, policyStatements, ref, resourcesOf } from './tf-json';
export type { TfJson } from './tf-json';

// cdktf, the provider classes and esbuild are loaded on first use, not on import: a suite that only
// reads the shared synthesis never pays the seconds they take to load.
const cdktf = (): typeof import('cdktf') => require('cdktf');

/** The default configuration, as `cdktf synth` sees it with no settings at all. */
export function testConfig(overrides: Record<string, string> = {}): PipelinesConfig {
  return loadConfig({ env: overrides });
}

/** Synthesizes one stack built by `build` inside a fresh test app and returns its parsed JSON. */
export function synthStack(build: (app: App) => TerraformStack): TfJson {
  const { Testing } = cdktf();
  const app = Testing.app();
  const stack = build(app);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** `buildStacks(app, testConfig(overrides))`, synthesized: this run's shared synthesis when it has it, else here. */
export function synthesizedApp(overrides: ConfigOverrides = {}): SynthesizedApp {
  const shared = readSharedApp(overrides);
  if (shared) return shared;
  const { Testing, TerraformStack } = cdktf();
  const { buildStacks } = require('../../stacks') as typeof import('../../stacks');
  const app = Testing.app();
  buildStacks(app, testConfig({ ...overrides }));
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return { overrides, stacks: stacks.map((s) => ({ id: s.node.id, tf: JSON.parse(Testing.synth(s)) as TfJson, warnings: warningsOf(s) })) };
}

/** The synth warnings (`Annotations.addWarning`) of a construct and everything in it. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => /warn/i.test(m.type))
    .map((m) => String(m.data));
}

/**
 * One stack of the app as `buildStacks` builds it with `overrides`. A stack synthesizes to the same
 * JSON alone and within the app (held by __tests__/app/shared-synthesis.test.ts), so a suite about
 * one stack reads it here instead of synthesizing it again.
 */
export function appStack(stackId: string, overrides: ConfigOverrides = {}): TfJson {
  return stackOfApp(stackId, overrides).tf;
}

/** The synth warnings of one stack of the app built with `overrides`. */
export function appStackWarnings(stackId: string, overrides: ConfigOverrides = {}): readonly string[] {
  return stackOfApp(stackId, overrides).warnings;
}

function stackOfApp(stackId: string, overrides: ConfigOverrides): SynthesizedApp['stacks'][number] {
  const { stacks } = synthesizedApp(overrides);
  const found = stacks.find((s) => s.id === stackId);
  if (!found) throw new Error(`The app builds no stack "${stackId}" with ${JSON.stringify(overrides)}; it builds: ${stacks.map((s) => s.id).join(', ')}`);
  return found;
}

/** An empty stack with an AWS provider, for testing one construct on its own. */
export function testStack(): TerraformStack {
  const { Testing, TerraformStack } = cdktf();
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider');
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(cdktf().Testing.synth(stack)) as TfJson;
}

/** A small real handler, for constructs that need a function. */
export function testFunction(stack: TerraformStack, id = 'Fn', timeout?: number): NodejsFunction {
  const { NodejsFunction } = require('../../lib/constructs/nodejs-function') as typeof import('../../lib/constructs/nodejs-function');
  return new NodejsFunction(stack, id, { functionName: `test-${id.toLowerCase()}`, entry: 'lambdas/webhook/consumer.ts', logRetentionDays: 7, timeout });
}
