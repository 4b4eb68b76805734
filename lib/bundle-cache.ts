import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Lambda zips on disk, found by content only, so every process that synthesizes (each test worker,
 * the test run's shared synthesis, `npm run synth`) bundles a handler once instead of once each.
 *
 * A recipe (entry, runtime, build options, esbuild's version, package-lock.json, tsconfig.json)
 * remembers which files its last build read (esbuild's metafile inputs). A zip is found under the
 * digest of those files' bytes, the package.json of every package they came from, and the names of
 * every file in the project folders they lie in (a new file can change what an import resolves
 * to). Any change to any of them is a miss, and a miss rebuilds: modification times are never part
 * of the key.
 */
export interface BundleCacheRecipe {
  /** Folder the input paths are relative to (esbuild's absWorkingDir). */
  readonly root: string;
  /** Everything else the output depends on besides the input files: entry, runtime, options, versions. */
  readonly recipe: unknown;
}

const RECIPE_FILES = ['package-lock.json', 'tsconfig.json'];

/**
 * A build is stored only if none of its inputs changed after it began. An input modified after
 * esbuild read it and before we hashed it would file the old zip under the new content; its
 * modification time is then at or after the build's start. The margin covers file systems that
 * store coarse (up to 2 s) modification times. Git handles its index the same way:
 * https://git-scm.com/docs/racy-git
 */
export const RACY_MARGIN_MS = 2000;

function sha256(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function recipeKey(recipe: BundleCacheRecipe): string {
  const files = RECIPE_FILES.map((f) => {
    const full = path.join(recipe.root, f);
    return [f, fs.existsSync(full) ? sha256(fs.readFileSync(full)) : 'absent'];
  });
  return sha256(JSON.stringify({ recipe: recipe.recipe, files }));
}

/** `node_modules/@scope/name/dist/x.js` -> `node_modules/@scope/name/package.json`, for every package an input came from. */
function packageManifests(inputs: readonly string[]): string[] {
  const manifests = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) manifests.add(`${match[1]}/package.json`);
  }
  return [...manifests].sort();
}

/** The top-level project folders (outside node_modules) that inputs lie in. */
function projectFolders(inputs: readonly string[]): string[] {
  return [...new Set(inputs.filter((i) => !i.includes('node_modules/') && i.includes('/')).map((i) => i.split('/')[0]))].sort();
}

/** A folder and every folder below it (but node_modules), relative to the root. */
function foldersBelow(root: string, dir: string): string[] {
  const children = fs.readdirSync(path.join(root, dir), { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'node_modules');
  return [dir, ...children.flatMap((e) => foldersBelow(root, `${dir}/${e.name}`))];
}

function fileNamesIn(root: string, dir: string): string[] {
  return fs.readdirSync(path.join(root, dir)).sort();
}

/** Every file whose bytes the key covers. */
function coveredFiles(inputs: readonly string[]): string[] {
  return [...new Set([...inputs, ...packageManifests(inputs)])].sort();
}

/** The digest of what a build with these inputs read, or undefined when one of them no longer exists. */
function contentKey(root: string, inputs: readonly string[]): string | undefined {
  const hash = crypto.createHash('sha256');
  for (const file of coveredFiles(inputs)) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) return undefined;
    hash.update(`${file}\0${sha256(fs.readFileSync(full))}\n`);
  }
  for (const folder of projectFolders(inputs).flatMap((f) => foldersBelow(root, f))) hash.update(`${folder}/\0${fileNamesIn(root, folder).join('\0')}\n`);
  return hash.digest('hex');
}

/** Writes a file so that no reader ever sees it half-written: parallel workers may store the same entry at once. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.partial`;
  fs.writeFileSync(partial, data);
  fs.renameSync(partial, file);
}

interface RecipeRecord {
  readonly inputs: string[];
}
interface EntryRecord {
  readonly zipSha256: string;
}

export class BundleCache {
  constructor(readonly dir: string) {}

  /** The zip a build of `recipe` would produce now, if one was stored; undefined on a miss. */
  lookup(recipe: BundleCacheRecipe): Uint8Array | undefined {
    const recipeDir = path.join(this.dir, recipeKey(recipe));
    const record = readJson<RecipeRecord>(path.join(recipeDir, 'inputs.json'));
    if (!record) return undefined;
    const key = contentKey(recipe.root, record.inputs);
    if (!key) return undefined;
    const entry = readJson<EntryRecord>(path.join(recipeDir, `${key}.json`));
    if (!entry) return undefined;
    const zipFile = path.join(this.dir, 'zips', `${entry.zipSha256}.zip`);
    if (!fs.existsSync(zipFile)) return undefined;
    const zip = fs.readFileSync(zipFile);
    // A zip damaged on disk is a miss, never a wrong bundle.
    return sha256(zip) === entry.zipSha256 ? zip : undefined;
  }

  /**
   * Files `zip`, built from `inputs` (esbuild metafile paths, relative to the root) by a build that
   * began at `startedAtMs`. Returns false, storing nothing, when an input changed since then.
   */
  store(recipe: BundleCacheRecipe, inputs: readonly string[], zip: Uint8Array, startedAtMs: number): boolean {
    // A folder's modification time moves when a file is added to it or removed.
    const folders = projectFolders(inputs).flatMap((f) => foldersBelow(recipe.root, f));
    const racy = [...coveredFiles(inputs), ...folders].some((f) => {
      const full = path.join(recipe.root, f);
      return !fs.existsSync(full) || fs.statSync(full).mtimeMs >= startedAtMs - RACY_MARGIN_MS;
    });
    const key = racy ? undefined : contentKey(recipe.root, inputs);
    if (!key) return false;
    const recipeDir = path.join(this.dir, recipeKey(recipe));
    const zipSha256 = sha256(zip);
    // The zip before the record that names it, so a record never points at a missing zip.
    writeAtomically(path.join(this.dir, 'zips', `${zipSha256}.zip`), zip);
    writeAtomically(path.join(recipeDir, `${key}.json`), JSON.stringify({ zipSha256 } satisfies EntryRecord));
    writeAtomically(path.join(recipeDir, 'inputs.json'), JSON.stringify({ inputs: [...inputs].sort() } satisfies RecipeRecord));
    return true;
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
