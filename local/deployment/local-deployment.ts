import * as fs from 'fs';
import * as path from 'path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { emulatorClient, EmulatorTarget } from '../aws/clients';

/**
 * What `npm run deploy:local` left behind: the synthesized stack folders (`.local/cdktf.out`) and
 * each stack's Terraform state, read from the emulator's S3 backend exactly where Terraform keeps
 * it. The data plane reads the control plane first; the state only fills attributes the emulator
 * does not round-trip (a function's deployment package file) and the stack outputs.
 */
export interface TerraformStateResource {
  readonly type: string;
  readonly name: string;
  readonly mode?: string;
  readonly instances: readonly { readonly attributes: Record<string, any> }[];
}

export interface DeployedStack {
  readonly name: string;
  /** The synthesized stack folder (relative paths in the state, e.g. asset zips, are relative to it). */
  readonly dir: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly resources: readonly TerraformStateResource[];
}

interface Manifest {
  stacks: Record<string, { workingDirectory: string }>;
}

export class NotDeployedError extends Error {
  constructor(detail: string) {
    super(`${detail} Run \`npm run deploy:local\` first (it synthesizes into .local/cdktf.out and applies every stack to the emulator).`);
    this.name = 'NotDeployedError';
  }
}

/** Every pipeline stack (S3 backend) deployed from `outdir`, with its state; the bootstrap stack is left out. */
export async function readLocalDeployment(outdir: string, target: EmulatorTarget): Promise<DeployedStack[]> {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new NotDeployedError(`No synthesized app at ${outdir}.`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const s3 = emulatorClient(S3Client, target);
  const stacks = await Promise.all(
    Object.entries(manifest.stacks).map(async ([name, entry]): Promise<DeployedStack | undefined> => {
      const dir = path.join(outdir, entry.workingDirectory);
      const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { s3?: { bucket: string; key: string } } } };
      const backend = tf.terraform?.backend?.s3;
      if (!backend) return undefined;
      const state = await readState(s3, backend.bucket, backend.key);
      if (!state) return undefined;
      const outputs = Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, v.value]));
      return { name, dir, outputs, resources: state.resources ?? [] };
    }),
  );
  const deployed = stacks.filter((s): s is DeployedStack => s !== undefined && s.resources.length > 0);
  if (deployed.length === 0) throw new NotDeployedError(`No deployed stack state in the emulator at ${target.endpoint}.`);
  return deployed;
}

interface StateFile {
  outputs?: Record<string, { value: unknown }>;
  resources?: TerraformStateResource[];
}

async function readState(s3: S3Client, bucket: string, key: string): Promise<StateFile | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await object.Body!.transformToString()) as StateFile;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NoSuchBucket') return undefined;
    throw error;
  }
}

/** Attributes of every managed resource of `type` in the stack's state. */
export function stateResources(stack: DeployedStack, type: string): Record<string, any>[] {
  return stack.resources.filter((r) => r.type === type && r.mode !== 'data').flatMap((r) => r.instances.map((i) => i.attributes));
}
