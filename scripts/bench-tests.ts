import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT } from '../lib/bundling';
import { cacheEnv, formatSpread, readBenchArgs } from './lib/bench-tests';

/**
 * `npm run bench:tests [-- --runs N] [--tiers unit,terraform] [--dir <clone>]`: wall time of each
 * jest tier, cold (every cache empty, as in a fresh clone: jest's transform cache, the bundle cache,
 * the shared synthesis) and warm (the same caches again), next to a floor measured in the same run:
 * jest starting and running one trivial test. `--dir` times another clone (e.g. main, for a before
 * figure) with this script. Prints figures; never fails on them.
 */
function main(): void {
  const { runs, tiers, dir = PROJECT_ROOT } = readBenchArgs(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-bench-tests-'));
  const jest = path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js');
  const timed = (args: string[], caches: string): { ms: number; passed: number } => {
    const report = path.join(caches, `report-${Date.now()}.json`);
    const started = performance.now();
    const result = spawnSync(process.execPath, [jest, ...args, '--cacheDirectory', path.join(caches, 'jest'), '--json', '--outputFile', report], {
      cwd: dir,
      env: { ...process.env, ...cacheEnv(caches) },
      encoding: 'utf8',
    });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`jest ${args.join(' ')} failed in ${dir}:\n${result.stderr.slice(-3000)}`);
    return { ms, passed: (JSON.parse(fs.readFileSync(report, 'utf8')) as { numPassedTests: number }).numPassedTests };
  };

  const floorDir = path.join(scratch, 'floor');
  fs.mkdirSync(floorDir);
  fs.writeFileSync(path.join(floorDir, 'trivial.test.js'), "test('floor', () => expect(1).toBe(1));\n");
  const floorArgs = ['--rootDir', floorDir, '--config', JSON.stringify({ testEnvironment: 'node' })];

  const times: Record<string, { cold: number[]; warm: number[]; passed: Set<number> }> = {};
  const floor: number[] = [];
  for (let run = 1; run <= runs; run++) {
    floor.push(timed(floorArgs, fs.mkdtempSync(path.join(scratch, 'floor-'))).ms);
    for (const tier of tiers) {
      const caches = fs.mkdtempSync(path.join(scratch, `${tier}-`));
      const t = (times[tier] ??= { cold: [], warm: [], passed: new Set() });
      for (const kind of ['cold', 'warm'] as const) {
        const { ms, passed } = timed(['--selectProjects', tier], caches);
        t[kind].push(ms);
        t.passed.add(passed);
        console.error(`run ${run}/${runs} ${tier} ${kind}: ${(ms / 1000).toFixed(1)} s, ${passed} tests passed`);
      }
      fs.rmSync(caches, { recursive: true, force: true });
    }
  }

  console.log(`\n${dir}, ${os.cpus().length} cores, ${runs} runs each (min / median / max), load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`floor (jest, one trivial test)  ${formatSpread(floor)}`);
  for (const [tier, t] of Object.entries(times)) {
    console.log(`${tier.padEnd(10)} cold ${formatSpread(t.cold)}   warm ${formatSpread(t.warm)}   tests passed: ${[...t.passed].join(', ')}`);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}

main();
