import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/bundling';
import { generateDiagrams } from './lib/diagram-docs';

/**
 * `npm run diagrams [-- --check]`: writes docs/diagrams/<stack>.md (one Mermaid diagram per stack,
 * drawn from the synthesized Terraform) and refreshes the diagrams embedded in the README.
 * `--check` writes nothing and fails if anything committed differs from what the code generates.
 */
function main(argv: readonly string[]): void {
  const check = argv.includes('--check');
  const { files, stale } = generateDiagrams();
  const differing = [...files].filter(([file, content]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content).map(([file]) => file);
  const relative = (file: string): string => path.relative(PROJECT_ROOT, file);
  if (check) {
    const problems = [...differing.map((f) => `${relative(f)} is stale`), ...stale.map((f) => `${relative(f)} belongs to no stack`)];
    if (problems.length > 0) throw new Error(`Diagrams are out of date:\n  - ${problems.join('\n  - ')}\nFix: run \`npm run diagrams\` and commit the result.`);
    console.log(`${files.size} diagram files are up to date.`);
    return;
  }
  for (const file of differing) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, files.get(file)!);
    console.log(`wrote ${relative(file)}`);
  }
  for (const file of stale) {
    fs.rmSync(file);
    console.log(`removed ${relative(file)} (no such stack)`);
  }
  if (differing.length === 0 && stale.length === 0) console.log('Diagrams were already up to date.');
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
