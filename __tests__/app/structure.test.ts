import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { PROJECT_ROOT } from '../../lib/bundling';
import { buildStacks } from '../../stacks';
import { testConfig } from '../support/synth';

/** How the code is arranged, held so the next pipeline copies the right thing. */

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

describe('app structure', () => {
  const app = Testing.app();
  buildStacks(app, testConfig());

  it('only stacks declare outputs: no reusable construct creates one (a construct used twice would collide)', () => {
    const outputs = app.node.findAll().filter((c): c is TerraformOutput => c instanceof TerraformOutput);
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.filter((o) => !(o.node.scope instanceof TerraformStack)).map((o) => o.node.path)).toEqual([]);
  });

  it('imports provider classes by deep path, never the barrel (it makes every synth seconds slower)', () => {
    const barrel = /from '@cdktf\/provider-aws'|require\('@cdktf\/provider-aws'\)/;
    const offenders = ['lib', 'stacks', 'scripts', 'main.ts'].flatMap((d) => (d.endsWith('.ts') ? [d] : sourceFiles(d)));
    expect(offenders.filter((f) => barrel.test(fs.readFileSync(path.join(PROJECT_ROOT, f), 'utf8')))).toEqual([]);
  });

  it('gives every pipeline one name: stacks/<name>/, __tests__/<name>/, and lambdas/<name>/ when it has handlers', () => {
    const pipelines = fs.readdirSync(path.join(PROJECT_ROOT, 'stacks'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(pipelines.length).toBe(app.node.children.length);
    for (const name of pipelines) {
      expect(fs.existsSync(path.join(PROJECT_ROOT, '__tests__', name))).toBe(true);
      const entries = fs.readFileSync(path.join(PROJECT_ROOT, 'stacks', name, 'stack.ts'), 'utf8').match(/lambdas\/([a-z-]+)\//g) ?? [];
      for (const entry of entries) expect(entry).toBe(`lambdas/${name}/`);
    }
  });
});
