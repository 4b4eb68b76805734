import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ZIP_BUDGET_BYTES, INIT_BUDGET_RATIO } from '../lib/bundling';
import { buildFloor, deployedFunctions, median, sdkClientsOf, timeInit, unpack, zipSizes } from './lib/bench';

/**
 * `npm run bench:lambdas [-- --runs N]`: for every function of the synthesized app, its zip and
 * bundle sizes, and its module init time next to that of a floor bundle (only the SDK clients it
 * uses and a Powertools Logger) built and timed in the same run. Prints figures; never fails on them.
 */
function main(): void {
  const runs = readRuns(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-bench-'));
  try {
    const functions = deployedFunctions(path.join(scratch, 'out'));
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const rows: string[][] = [];
    for (const fn of functions) {
      const sizes = zipSizes(fn.bundle.zipPath);
      const clients = sdkClientsOf(fn.bundle.entry, fn.bundle);
      const handlerDir = unpack(fs.readFileSync(fn.bundle.zipPath), path.join(scratch, fn.name, 'handler'));
      const floorDir = unpack(buildFloor(clients, fn.bundle), path.join(scratch, fn.name, 'floor'));
      const times = timeInit(fn, handlerDir, floorDir, runs);
      const init = median(times.handler);
      const floor = median(times.floor);
      const ratio = init / floor;
      const ok = sizes.zip <= ZIP_BUDGET_BYTES && ratio <= INIT_BUDGET_RATIO;
      rows.push([
        fn.name,
        fn.bundle.entry,
        kb(sizes.zip),
        kb(sizes.code),
        kb(sizes.map),
        init.toFixed(1),
        floor.toFixed(1),
        ratio.toFixed(2),
        clients.map((c) => c.replace('@aws-sdk/client-', '')).join(', ') || '(none)',
        ok ? 'yes' : 'NO',
      ]);
      process.stderr.write(`measured ${fn.name}\n`);
    }
    const header = ['function', 'entry', 'zip KB', 'index.js KB', 'map KB', 'init ms', 'floor ms', 'ratio', 'floor clients', 'in budget'];
    console.log(`Node ${process.version}, ${os.cpus().length} CPUs; median of ${runs} fresh processes each, with the deployed NODE_OPTIONS and environment.`);
    console.log(`Budget: zip <= ${ZIP_BUDGET_BYTES / 1024} KB (KB = 1024 bytes), init <= ${INIT_BUDGET_RATIO} x floor.\n`);
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map((_, i) => (i < 2 || i === 8 ? '---' : '---:')).join(' | ')} |`);
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function readRuns(args: readonly string[]): number {
  const at = args.indexOf('--runs');
  if (at === -1) return 15;
  const runs = Number(args[at + 1]);
  // The median of fewer than 11 processes moves too much between runs on a busy 2-core machine.
  if (!Number.isInteger(runs) || runs < 11) throw new Error(`--runs must be a whole number of at least 11, got "${args[at + 1] ?? ''}".`);
  return runs;
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
