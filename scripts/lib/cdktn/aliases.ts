import * as path from 'path';

/**
 * The one place where the app's cdktf import names are mapped to CDK Terrain's, so stacks and
 * constructs run on cdktn unchanged. Used only by `npm run synth:cdktn`: the default engine never
 * loads this file.
 *
 * - `cdktf` (and its subpaths) -> the `cdktn` package: the same engine, renamed
 *   (https://cdktn.io/docs/release/upgrade-guide-v0-22: imports change from `cdktf` to `cdktn`, nothing else).
 * - `constructs` -> the toolchain's copy: cdktn 0.24 declares the peer `constructs >=10.6.0 <10.8.0`,
 *   and the app's construct classes must extend the same `Construct` class as cdktn's stacks.
 * - `@cdktf/provider-aws/lib/<resource>` -> `<bindings>/<resource>/index.ts`, the bindings
 *   `cdktn get` generates for the same provider version (their folders have the same names).
 */

/** Where each engine-specific name is found. */
export interface AliasRoots {
  /** The toolchain's node_modules folder (holds cdktn and constructs). */
  readonly toolchainModules: string;
  /** The generated provider folder (`.../providers/aws`). */
  readonly providerBindings: string;
}

const PROVIDER_DEEP_PATH = '@cdktf/provider-aws/lib/';

/** The file or package a request resolves to on cdktn, or undefined to leave it to Node. */
export function mapRequest(request: string, roots: AliasRoots): string | undefined {
  if (request === 'cdktf' || request === 'cdktn') return path.join(roots.toolchainModules, 'cdktn');
  if (request.startsWith('cdktf/')) return path.join(roots.toolchainModules, 'cdktn', request.slice('cdktf/'.length));
  if (request === 'constructs') return path.join(roots.toolchainModules, 'constructs');
  if (request.startsWith(PROVIDER_DEEP_PATH)) {
    return path.join(roots.providerBindings, request.slice(PROVIDER_DEEP_PATH.length), 'index.ts');
  }
  if (request === '@cdktf/provider-aws' || request.startsWith('@cdktf/')) {
    throw new Error(
      `"${request}" has no cdktn equivalent here: import provider classes by deep path (${PROVIDER_DEEP_PATH}<resource>), ` +
        'the only form the generated bindings are mapped for.',
    );
  }
  return undefined;
}

interface ResolvableModule {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

/**
 * Routes every later `require` through `mapRequest`. Node's resolver is the one hook both the
 * app's transpiled imports and the generated bindings' imports go through
 * (https://nodejs.org/api/modules.html#all-together).
 */
export function installAliases(roots: AliasRoots): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('module') as ResolvableModule;
  const resolve = Module._resolveFilename.bind(Module);
  Module._resolveFilename = (request, parent, isMain, options) => resolve(mapRequest(request, roots) ?? request, parent, isMain, options);
}
