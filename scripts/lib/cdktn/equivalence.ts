import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';

/**
 * What may differ between the same app synthesized by cdktf and by cdktn: the list below, and
 * nothing else. Every other file must be byte-identical (asset zips) or, for JSON, equal once parsed.
 */
export interface EngineDifference {
  /** Which files: `manifest.json`, or `cdk.tf.json` of every stack. */
  readonly file: 'manifest.json' | 'cdk.tf.json';
  /** JSON path of the value. */
  readonly path: readonly string[];
  readonly why: string;
}

export const ENGINE_DIFFERENCES: readonly EngineDifference[] = [
  { file: 'cdk.tf.json', path: ['//', 'metadata', 'version'], why: "the engine's own version (cdktf 0.21.0, cdktn 0.24.0)" },
  {
    file: 'cdk.tf.json',
    path: ['terraform', 'required_providers', 'aws', 'source'],
    // Terraform reads a source without a namespace as `hashicorp/<type>` on registry.terraform.io
    // (ParseProviderSourceString in https://github.com/hashicorp/terraform/blob/v1.11.4/internal/addrs/provider.go),
    // so both forms select registry.terraform.io/hashicorp/aws.
    why: 'the provider source as each binding set records it: `aws` (prebuilt @cdktf/provider-aws), `hashicorp/aws` (cdktn get)',
  },
  { file: 'manifest.json', path: ['version'], why: "the engine's own version" },
];

/** One value the engines are allowed to differ on, as found in each output. */
export interface EngineValue {
  readonly file: string;
  readonly path: string;
  readonly left: unknown;
  readonly right: unknown;
}

export interface Comparison {
  /** Every difference not in ENGINE_DIFFERENCES: empty when the outputs are equivalent. */
  readonly differences: string[];
  /** The values of ENGINE_DIFFERENCES in both outputs. */
  readonly engineValues: EngineValue[];
  /** Files compared byte for byte (everything but JSON). */
  readonly binaryFiles: string[];
}

function listFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(root, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

type Json = Record<string, unknown>;

function valueAt(json: unknown, at: readonly string[]): unknown {
  return at.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Json)[key] : undefined), json);
}

/** A copy of `json` with the value at `at` removed (so it takes no part in the comparison). */
function without(json: unknown, at: readonly string[]): unknown {
  if (at.length === 0 || json === null || typeof json !== 'object') return json;
  const [key, ...rest] = at;
  const copy: Json = { ...(json as Json) };
  if (!(key in copy)) return json;
  if (rest.length === 0) delete copy[key];
  else copy[key] = without(copy[key], rest);
  return copy;
}

/** The first JSON path where two values differ, for a message a reader can act on. */
export function firstDifference(left: unknown, right: unknown, at: string[] = []): string | undefined {
  if (isDeepStrictEqual(left, right)) return undefined;
  const bothObjects = left !== null && right !== null && typeof left === 'object' && typeof right === 'object' && Array.isArray(left) === Array.isArray(right);
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(left as Json), ...Object.keys(right as Json)])].sort();
    for (const key of keys) {
      const found = firstDifference((left as Json)[key], (right as Json)[key], [...at, key]);
      if (found) return found;
    }
  }
  return `${at.join('.') || '(root)'}: ${JSON.stringify(left)?.slice(0, 200)} != ${JSON.stringify(right)?.slice(0, 200)}`;
}

/** Compares two synthesized output folders (left: cdktf, right: cdktn). */
export function compareOutdirs(left: string, right: string): Comparison {
  const [leftFiles, rightFiles] = [listFiles(left), listFiles(right)];
  const differences = [
    ...leftFiles.filter((f) => !rightFiles.includes(f)).map((f) => `${f}: only in ${left}`),
    ...rightFiles.filter((f) => !leftFiles.includes(f)).map((f) => `${f}: only in ${right}`),
  ];
  const engineValues: EngineValue[] = [];
  const binaryFiles: string[] = [];
  for (const file of leftFiles.filter((f) => rightFiles.includes(f))) {
    const [a, b] = [fs.readFileSync(path.join(left, file)), fs.readFileSync(path.join(right, file))];
    if (!file.endsWith('.json')) {
      binaryFiles.push(file);
      if (!a.equals(b)) differences.push(`${file}: bytes differ`);
      continue;
    }
    let [jsonA, jsonB] = [JSON.parse(a.toString('utf8')) as unknown, JSON.parse(b.toString('utf8')) as unknown];
    for (const allowed of ENGINE_DIFFERENCES.filter((d) => path.posix.basename(file) === d.file)) {
      engineValues.push({ file, path: allowed.path.join('.'), left: valueAt(jsonA, allowed.path), right: valueAt(jsonB, allowed.path) });
      [jsonA, jsonB] = [without(jsonA, allowed.path), without(jsonB, allowed.path)];
    }
    const found = firstDifference(jsonA, jsonB);
    if (found) differences.push(`${file}: ${found}`);
  }
  return { differences, engineValues, binaryFiles };
}
