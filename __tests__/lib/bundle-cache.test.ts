import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { BundleCache, BundleCacheRecipe, RACY_MARGIN_MS } from '../../lib/bundle-cache';

/** A throwaway project: src/entry.ts imports src/dep.ts; every file dated an hour back, so no build is racy. */
function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-bundle-cache-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'entry.ts'), "import { greeting } from './dep';\nexport const handler = () => greeting;\n");
  fs.writeFileSync(path.join(root, 'src', 'dep.ts'), "export const greeting = 'hello';\n");
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
  ageAll(root);
  return root;
}

function ageAll(root: string): void {
  const past = new Date(Date.now() - 3600_000);
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name));
    for (const e of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, e), past, past);
    fs.utimesSync(dir, past, past);
  };
  walk(root);
}

function build(root: string): { zip: Uint8Array; inputs: string[] } {
  const result = buildSync({ absWorkingDir: root, entryPoints: ['src/entry.ts'], bundle: true, write: false, metafile: true, outdir: 'out', format: 'cjs', platform: 'node' });
  return { zip: result.outputFiles[0].contents, inputs: Object.keys(result.metafile.inputs) };
}

describe('bundle cache', () => {
  let root: string;
  let cache: BundleCache;
  let recipe: BundleCacheRecipe;
  beforeEach(() => {
    root = project();
    cache = new BundleCache(path.join(root, 'cache'));
    recipe = { root, recipe: { entry: 'src/entry.ts', minify: false } };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const storeBuild = () => {
    const { zip, inputs } = build(root);
    expect(cache.store(recipe, inputs, zip, Date.now())).toBe(true);
    return zip;
  };

  it('finds a stored build again, byte for byte, and misses before anything is stored', () => {
    expect(cache.lookup(recipe)).toBeUndefined();
    const zip = storeBuild();
    expect(Buffer.from(cache.lookup(recipe) ?? [])).toEqual(Buffer.from(zip));
  });

  it('misses when an input changes, even with its modification time put back', () => {
    storeBuild();
    const dep = path.join(root, 'src', 'dep.ts');
    const { mtime } = fs.statSync(dep);
    fs.writeFileSync(dep, "export const greeting = 'hullo';\n");
    fs.utimesSync(dep, mtime, mtime);
    expect(cache.lookup(recipe)).toBeUndefined();
    // Changed back, the first build is found again: the key is the content.
    fs.writeFileSync(dep, "export const greeting = 'hello';\n");
    expect(cache.lookup(recipe)).toBeDefined();
  });

  it('misses when a file appears in a folder the inputs come from (it may change what an import resolves to)', () => {
    storeBuild();
    fs.mkdirSync(path.join(root, 'src', 'dep'));
    fs.writeFileSync(path.join(root, 'src', 'dep', 'index.ts'), "export const greeting = 'other';\n");
    expect(cache.lookup(recipe)).toBeUndefined();
  });

  it('misses when the recipe, the lockfile or a package.json an input came from changes', () => {
    storeBuild();
    expect(cache.lookup({ root, recipe: { entry: 'src/entry.ts', minify: true } })).toBeUndefined();
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}');
    expect(cache.lookup(recipe)).toBeUndefined();

    const pkg = path.join(root, 'node_modules', 'greeter');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"greeter","version":"1.0.0","main":"index.js"}');
    fs.writeFileSync(path.join(pkg, 'index.js'), "exports.name = 'greeter';\n");
    fs.writeFileSync(path.join(root, 'src', 'entry.ts'), "import { name } from 'greeter';\nexport const handler = () => name;\n");
    ageAll(root);
    storeBuild();
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"greeter","version":"1.0.1","main":"index.js"}');
    expect(cache.lookup(recipe)).toBeUndefined();
  });

  it('stores nothing when an input was modified after the build began (racy), or at most the margin before', () => {
    const { zip, inputs } = build(root);
    const dep = path.join(root, 'src', 'dep.ts');
    const justBefore = new Date(Date.now() - RACY_MARGIN_MS / 2);
    fs.utimesSync(dep, justBefore, justBefore);
    expect(cache.store(recipe, inputs, zip, Date.now())).toBe(false);
    expect(cache.lookup(recipe)).toBeUndefined();
  });

  it('treats a damaged zip as a miss, never as a bundle', () => {
    storeBuild();
    const zips = path.join(root, 'cache', 'zips');
    for (const name of fs.readdirSync(zips)) fs.appendFileSync(path.join(zips, name), 'x');
    expect(cache.lookup(recipe)).toBeUndefined();
  });
});
