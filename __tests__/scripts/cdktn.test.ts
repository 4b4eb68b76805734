import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mapRequest } from '../../scripts/lib/cdktn/aliases';
import { importedProviderModules, moduleClosure, prebuiltProvider } from '../../scripts/lib/cdktn/bindings';
import { compareOutdirs } from '../../scripts/lib/cdktn/equivalence';
import { assertNodeForCli, nodeAtLeast } from '../../scripts/lib/cdktn/toolchain';

// The synth:cdktn helpers that need neither the toolchain nor Terraform; the terraform tier
// (__tests__/terraform/cdktn-equivalence.test.ts) runs the whole path.

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-cdktn-unit-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(file: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('cdktn import aliases', () => {
  const roots = { toolchainModules: '/t/node_modules', providerBindings: '/b/providers/aws' };

  it('maps cdktf, its subpaths and constructs to the toolchain, and deep provider imports to the generated bindings', () => {
    expect(mapRequest('cdktf', roots)).toBe(path.join('/t/node_modules', 'cdktn'));
    expect(mapRequest('cdktf/lib/testing', roots)).toBe(path.join('/t/node_modules', 'cdktn', 'lib/testing'));
    expect(mapRequest('constructs', roots)).toBe(path.join('/t/node_modules', 'constructs'));
    expect(mapRequest('@cdktf/provider-aws/lib/sqs-queue', roots)).toBe(path.join('/b/providers/aws', 'sqs-queue', 'index.ts'));
  });

  it('leaves every other name to Node', () => {
    expect(mapRequest('esbuild', roots)).toBeUndefined();
    expect(mapRequest('./synth', roots)).toBeUndefined();
  });

  it('refuses the provider barrel, naming the deep-path form', () => {
    expect(() => mapRequest('@cdktf/provider-aws', roots)).toThrow(/import provider classes by deep path \(@cdktf\/provider-aws\/lib\/<resource>\)/);
  });
});

describe('cdktn toolchain', () => {
  it('compares Node versions numerically against the CLI minimum', () => {
    expect(nodeAtLeast('v22.23.3', '22.19.0')).toBe(true);
    expect(nodeAtLeast('v22.19.0', '22.19.0')).toBe(true);
    expect(nodeAtLeast('v22.9.0', '22.19.0')).toBe(false);
    expect(nodeAtLeast('v20.20.2', '22.19.0')).toBe(false);
    expect(nodeAtLeast('v24.0.0', '22.19.0')).toBe(true);
  });

  it('names the minimum and the npm script when the Node is too old', () => {
    expect(() => assertNodeForCli('v20.20.2')).toThrow(/needs Node >= 22\.19\.0; this is Node v20\.20\.2\. Run it through npm \(npm run synth:cdktn\)/);
  });
});

describe('cdktn bindings', () => {
  it('generates for the provider version the prebuilt bindings are built for', () => {
    expect(prebuiltProvider()).toEqual({ source: 'hashicorp/aws', version: '5.100.0' });
  });

  it("finds the app's deep provider imports, the provider configuration among them", () => {
    const modules = importedProviderModules();
    expect(modules).toEqual(expect.arrayContaining(['provider', 'lambda-function', 'sqs-queue', 'apigatewayv2-api']));
    expect(modules).toEqual([...modules].sort());
  });

  it('keeps a module and what it imports relatively, transitively, and nothing else', () => {
    const dir = path.join(tmp, 'providers', 'aws');
    write(path.join(dir, 'provider', 'index.ts'), "import * as cdktn from 'cdktn';\nimport { F } from '../provider-functions/index';\n");
    write(path.join(dir, 'provider-functions', 'index.ts'), "import { H } from './helpers';\n");
    write(path.join(dir, 'provider-functions', 'helpers.ts'), 'export const H = 1;\n');
    write(path.join(dir, 'sqs-queue', 'index.ts'), "import * as cdktn from 'cdktn';\n");
    expect(moduleClosure(dir, ['provider'])).toEqual(
      [path.join('provider', 'index.ts'), path.join('provider-functions', 'helpers.ts'), path.join('provider-functions', 'index.ts')].sort(),
    );
    expect(() => moduleClosure(dir, ['no-such-resource'])).toThrow(/have no no-such-resource\/index\.ts/);
  });
});

describe('engine output comparison', () => {
  const stackJson = (version: string, source: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ '//': { metadata: { version, stackName: 's' } }, terraform: { required_providers: { aws: { source, version: '5.100.0' } } }, ...extra });

  function outdir(name: string, json: string, zip: Buffer): string {
    const dir = path.join(tmp, name);
    write(path.join(dir, 'manifest.json'), JSON.stringify({ version: name, stacks: {} }));
    write(path.join(dir, 'stacks', 's', 'cdk.tf.json'), json);
    write(path.join(dir, 'stacks', 's', 'assets', 'a', 'lambda.zip'), zip);
    return dir;
  }

  it('accepts outputs that differ only in the listed engine values, and reports those values', () => {
    const left = outdir('0.21.0', stackJson('0.21.0', 'aws'), Buffer.from('zip'));
    const right = outdir('0.24.0', stackJson('0.24.0', 'hashicorp/aws'), Buffer.from('zip'));
    const result = compareOutdirs(left, right);
    expect(result.differences).toEqual([]);
    expect(result.binaryFiles).toEqual(['stacks/s/assets/a/lambda.zip']);
    expect(result.engineValues).toEqual(
      expect.arrayContaining([
        { file: 'manifest.json', path: 'version', left: '0.21.0', right: '0.24.0' },
        { file: 'stacks/s/cdk.tf.json', path: 'terraform.required_providers.aws.source', left: 'aws', right: 'hashicorp/aws' },
      ]),
    );
  });

  it('reports any other JSON difference with its path, a differing zip, and a file only one engine wrote', () => {
    const left = outdir('left', stackJson('0.21.0', 'aws', { resource: { a: { memory_size: 256 } } }), Buffer.from('zip-a'));
    const right = outdir('right', stackJson('0.24.0', 'hashicorp/aws', { resource: { a: { memory_size: 512 } } }), Buffer.from('zip-b'));
    write(path.join(right, 'stacks', 's', 'extra.json'), '{}');
    expect(compareOutdirs(left, right).differences).toEqual([
      `stacks/s/extra.json: only in ${right}`,
      'stacks/s/assets/a/lambda.zip: bytes differ',
      'stacks/s/cdk.tf.json: resource.a.memory_size: 256 != 512',
    ]);
  });
});
