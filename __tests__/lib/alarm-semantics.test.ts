import * as fs from 'fs';
import * as path from 'path';
import { alarmUnderTest, AlarmState, AlarmUnderTest, evaluateOnce, run } from '../support/alarm-evaluation';
import { allStacks } from '../support/all-stacks';
import { resourcesOf } from '../support/synth';
import { PROJECT_ROOT } from '../../lib/bundling';

/**
 * Every alarm of every stack, fed through CloudWatch's documented evaluation (the witness in
 * support/alarm-evaluation.ts): the states it reaches and what it notifies on the way. Each alarm
 * must match exactly one row; an alarm added without a row fails here.
 */
type Scenario = 'healthy, no data points' | 'breach, then silence' | 'sustained breach' | 'recovery';
interface Row {
  /** How the README's alarm table names it. */
  readonly readme: string;
  readonly matches: (a: AlarmUnderTest) => boolean;
  /** State changes, in order, from an alarm in service (OK). */
  readonly expected: Readonly<Record<Scenario, readonly AlarmState[]>>;
  /** The README's "with no data" cell. */
  readonly withNoData: string;
}

const metric = (namespace: string, ...names: string[]) => (a: AlarmUnderTest) => a.namespace === namespace && names.includes(a.metricName);
/** Silence is healthy: the alarm clears when the problem's data points stop or turn good. */
const QUIET_IS_HEALTHY = { 'healthy, no data points': [], 'breach, then silence': ['ALARM', 'OK'], 'sustained breach': ['ALARM'], recovery: ['ALARM', 'OK'] } as const;
const OK_NO_DATA = 'OK';

const ROWS: readonly Row[] = [
  { readme: '`<api>-5xx-rate`', matches: metric('AWS/ApiGateway', '5XXError', '5xx'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  { readme: '`<api>-p99-latency`', matches: metric('AWS/ApiGateway', 'Latency'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  { readme: '`<function>-errors`', matches: metric('AWS/Lambda', 'Errors'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  { readme: '`<function>-throttles`', matches: metric('AWS/Lambda', 'Throttles'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  { readme: '`<function>-duration`', matches: metric('AWS/Lambda', 'Duration'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  { readme: '`<queue>-oldest-message-age`', matches: metric('AWS/SQS', 'ApproximateAgeOfOldestMessage'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  { readme: '`<dlq>-not-empty`', matches: metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  {
    readme: '`<stream>-iterator-age`',
    matches: metric('AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds'),
    // A consumer that stopped reading publishes nothing: that is reported, not taken for OK.
    expected: { 'healthy, no data points': ['INSUFFICIENT_DATA'], 'breach, then silence': ['ALARM', 'INSUFFICIENT_DATA'], 'sustained breach': ['ALARM'], recovery: ['ALARM', 'OK'] },
    withNoData: 'INSUFFICIENT_DATA (notified)',
  },
  { readme: '`<table>-read-throttles`', matches: metric('AWS/DynamoDB', 'ReadThrottleEvents', 'WriteThrottleEvents'), expected: QUIET_IS_HEALTHY, withNoData: OK_NO_DATA },
  {
    readme: '`<stream>-write-throttles`',
    matches: metric('AWS/Kinesis', 'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded'),
    expected: QUIET_IS_HEALTHY,
    withNoData: OK_NO_DATA,
  },
];

function series(alarm: AlarmUnderTest, scenario: Scenario): (number | undefined)[] {
  const bad = alarm.threshold === 0 ? 1 : alarm.threshold * 2;
  const repeat = (count: number, value: number | undefined) => Array<number | undefined>(count).fill(value);
  switch (scenario) {
    case 'healthy, no data points':
      return repeat(20, undefined);
    case 'breach, then silence':
      return [...repeat(10, bad), ...repeat(20, undefined)];
    case 'sustained breach':
      return repeat(30, bad);
    case 'recovery':
      return [...repeat(10, bad), ...repeat(20, 0)];
  }
}

const alarms = [...allStacks()].flatMap(([stack, tf]) => Object.values(resourcesOf(tf, 'aws_cloudwatch_metric_alarm')).map((config) => ({ stack, alarm: alarmUnderTest(config) })));
const SCENARIOS: readonly Scenario[] = ['healthy, no data points', 'breach, then silence', 'sustained breach', 'recovery'];

it('finds the alarms of every pipeline stack', () => {
  expect(new Set(alarms.map((a) => a.stack)).size).toBe(5);
});

it('has exactly one scenario row for every alarm', () => {
  const unmatched = alarms.filter(({ alarm }) => ROWS.filter((r) => r.matches(alarm)).length !== 1).map(({ alarm }) => `${alarm.name} (${alarm.namespace} ${alarm.metricName})`);
  expect(unmatched).toEqual([]);
});

describe.each(alarms.map(({ stack, alarm }) => [`${stack}: ${alarm.name}`, alarm] as const))('%s', (_, alarm) => {
  const row = ROWS.find((r) => r.matches(alarm))!;
  it.each(SCENARIOS)('%s: reaches the documented states and notifies on each', (scenario) => {
    const transitions = run(alarm, series(alarm, scenario), 'OK');
    expect(transitions.map((t) => t.to)).toEqual(row?.expected[scenario]);
    for (const t of transitions) expect({ to: t.to, actions: t.actions }).toEqual({ to: t.to, actions: [expect.stringMatching(/sns/)] });
  });
});

describe('the witness follows the documented table (N = M = 3, evaluation range of 5)', () => {
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html#alarms-evaluating-missing-data
  const alarm = (treatMissingData: AlarmUnderTest['treatMissingData'], namespace = 'AWS/Lambda'): AlarmUnderTest => ({
    name: 't',
    namespace,
    metricName: 'Errors',
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData,
    actions: { ALARM: [], OK: [], INSUFFICIENT_DATA: [] },
  });
  const points = (row: string) => row.split(' ').map((c) => (c === '-' ? undefined : c === 'X' ? 1 : 0));
  // [data points, MISSING, IGNORE, BREACHING, NOT BREACHING]; 'keep' is the current state (here OK then ALARM).
  it.each([
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'keep', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - X - -', 'ALARM', 'keep', 'ALARM', 'OK'],
  ])('%s', (row, ...outcomes) => {
    (['missing', 'ignore', 'breaching', 'notBreaching'] as const).forEach((treatment, i) => {
      for (const current of ['OK', 'ALARM'] as const) {
        expect([treatment, current, evaluateOnce(alarm(treatment), points(row), current)]).toEqual([treatment, current, outcomes[i] === 'keep' ? current : outcomes[i]]);
      }
    });
  });

  it('keeps an AWS/DynamoDB alarm in its state when data is missing, whatever treat_missing_data says', () => {
    expect(evaluateOnce(alarm('notBreaching', 'AWS/DynamoDB'), points('- - X - -'), 'ALARM')).toBe('ALARM');
    expect(run(alarm('notBreaching', 'AWS/DynamoDB'), [1, 1, 1, ...Array(20).fill(undefined)], 'OK').map((t) => t.to)).toEqual(['ALARM']);
    // The same alarm over FILL(m, 0) clears.
    expect(run({ ...alarm('notBreaching', 'AWS/DynamoDB'), fill: 0 }, [1, 1, 1, ...Array(20).fill(undefined)], 'OK').map((t) => t.to)).toEqual(['ALARM', 'OK']);
  });
});

describe("the README's alarm table", () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### What each pipeline alarms on'), readme.indexOf('### A dashboard per pipeline'));
  const header = section.split('\n').find((l) => l.startsWith('| alarm (name)'))!;
  const columns = header.split('|').map((c) => c.trim());
  const rows = section.split('\n').filter((l) => l.startsWith('| `<'));
  const cell = (line: string, column: string) => line.split(' | ')[columns.indexOf(column) - 1]?.replace(/^\| /, '').trim();

  it('has the columns "clears when" and "with no data"', () => {
    expect(columns).toEqual(expect.arrayContaining(['clears when', 'with no data']));
  });

  it.each(ROWS.map((r) => [r.readme, r] as const))('has a row for %s whose "with no data" is what the witness shows', (readmeName, row) => {
    const line = rows.find((l) => l.startsWith(`| ${readmeName}`));
    expect(line).toBeDefined();
    expect(cell(line!, 'with no data')).toBe(row.withNoData);
    expect(cell(line!, 'clears when')).toMatch(/\w/);
  });

  it('counts the alarms of each stack as synthesized', () => {
    const listed = Object.fromEntries([...section.matchAll(/^\| `([a-z-]+)` \((\d+)\) \|/gm)].map(([, stack, count]) => [stack, Number(count)]));
    const synthesized: Record<string, number> = {};
    for (const { stack } of alarms) synthesized[stack] = (synthesized[stack] ?? 0) + 1;
    expect(listed).toEqual(synthesized);
  });
});
