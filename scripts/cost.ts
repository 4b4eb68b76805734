import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/bundling';
import { estimateApp } from './lib/cost/app';
import { embedCostTable, formatReport, readmeTable, reportJson } from './lib/cost/report';

/**
 * `npm run cost [-- --json | --readme]`: the monthly cost of every stack, idle and at the traffic
 * profile (PIPELINES_COST_*), from the dated price table in pricing/prices.json. Offline.
 * `--readme` rewrites the README's cost table from the default settings (as the diagrams are).
 */
function main(argv: readonly string[]): void {
  const unknown = argv.filter((a) => a !== '--json' && a !== '--readme');
  if (unknown.length > 0) throw new Error(`Unknown argument ${unknown.join(' ')}. Usage: npm run cost [-- --json | --readme]`);
  if (argv.includes('--readme')) {
    const file = path.join(PROJECT_ROOT, 'README.md');
    fs.writeFileSync(file, embedCostTable(fs.readFileSync(file, 'utf8'), readmeTable(estimateApp({}))));
    console.log('README.md cost table written from the default settings.');
    return;
  }
  const report = estimateApp(process.env);
  console.log(argv.includes('--json') ? JSON.stringify(reportJson(report), null, 2) : formatReport(report));
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
