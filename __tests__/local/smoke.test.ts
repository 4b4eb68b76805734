import { parseSmokeArgs } from '../../scripts/smoke';
import { CONTRACTS } from '../../scripts/lib/smoke-contracts';
import { SkipStep, SmokeRun } from '../../scripts/lib/smoke-runner';

describe('npm run smoke arguments', () => {
  it('runs every pipeline against the local target by default', () => {
    expect(parseSmokeArgs([])).toEqual({ stacks: Object.keys(CONTRACTS), target: 'local', waitForDlqOnAws: false });
    expect(Object.keys(CONTRACTS)).toHaveLength(5);
  });

  it('takes stack names, --target local|aws (or --target=aws) and --wait-dlq', () => {
    expect(parseSmokeArgs(['apigw-kinesis-proxy', '--target', 'aws', '--wait-dlq'])).toEqual({ stacks: ['apigw-kinesis-proxy'], target: 'aws', waitForDlqOnAws: true });
    expect(parseSmokeArgs(['--target=local']).target).toBe('local');
  });

  it('refuses an unknown stack, target or option, naming what is accepted', () => {
    expect(() => parseSmokeArgs(['nope'])).toThrow(/Unknown stack nope\. Stacks with a smoke contract: apigw-lambda-dynamodb-customers/);
    expect(() => parseSmokeArgs(['--target', 'gcp'])).toThrow(/--target must be local or aws, not gcp/);
    expect(() => parseSmokeArgs(['--fast'])).toThrow(/Unknown option --fast\. Usage: npm run smoke/);
  });
});

describe('smoke runner', () => {
  it('prints one line per step and a summary, runs cleanups, and exits non-zero on any failure', async () => {
    const lines: string[] = [];
    const run = new SmokeRun((l) => lines.push(l));
    const cleaned: string[] = [];
    expect(await run.step('p', 'passes', async () => 'detail')).toBe('detail');
    run.onCleanup('first', async () => cleaned.push('first'));
    run.onCleanup('second', async () => cleaned.push('second'));
    expect(await run.step('p', 'fails', async () => Promise.reject(new Error('expected 201, got 400')))).toBeUndefined();
    await run.step('p', 'skips', async () => Promise.reject(new SkipStep('not here')));
    expect(await run.finish(Date.now())).toBe(1);
    expect(cleaned).toEqual(['second', 'first']);
    expect(lines[0]).toMatch(/^PASS +\d+ ms {2}p: passes — detail$/);
    expect(lines[1]).toMatch(/^FAIL .* p: fails — expected 201, got 400$/);
    expect(lines[2]).toMatch(/^SKIP /);
    expect(lines.join('\n')).toMatch(/smoke: 1 passed, 1 failed, 1 skipped in/);
  });

  it('exits 0 when nothing failed', async () => {
    const run = new SmokeRun(() => undefined);
    await run.step('p', 'ok', async () => undefined);
    expect(await run.finish(Date.now())).toBe(0);
  });
});
