import * as fs from 'fs';
import * as path from 'path';

/**
 * The error rows of each pipeline's README section: the lines after `# error cases` in its shell
 * block. A row is a `curl` command with its `# <answer>` comment (on the same or the next line), or
 * a comment line alone (an answer no single command produces, e.g. throttling).
 */
export interface ReadmeErrorRow {
  /** Stack name from the section heading (`### … — \`<stack>\``). */
  readonly stack: string;
  /** The documented answer, whitespace collapsed: the row's key. */
  readonly answer: string;
  /** The curl command, whitespace collapsed; absent for a comment-only row. */
  readonly command?: string;
}

export const README = path.join(__dirname, '..', '..', 'README.md');

export function readmeErrorRows(readme = fs.readFileSync(README, 'utf8')): ReadmeErrorRow[] {
  const rows: ReadmeErrorRow[] = [];
  let stack: string | undefined;
  let inFence = false;
  let collecting = false;
  let pending: string | undefined;
  let continued = '';
  const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
  for (const raw of readme.split('\n')) {
    const heading = /^###? .*— `([a-z0-9-]+)`/.exec(raw);
    if (heading) stack = heading[1];
    if (raw.startsWith('```')) {
      inFence = !inFence;
      collecting = false;
      pending = undefined;
      continue;
    }
    if (!inFence) continue;
    if (/^# error cases/.test(raw)) {
      collecting = true;
      continue;
    }
    if (!collecting || !stack) continue;
    if (raw.endsWith('\\')) {
      continued += `${raw.slice(0, -1)} `;
      continue;
    }
    const line = continued + raw;
    continued = '';
    if (line.trim() === '' || line.startsWith('npx ')) continue;
    if (line.startsWith('curl')) {
      const comment = /\s#\s+(.*)$/.exec(line);
      if (comment) rows.push({ stack, command: collapse(line.slice(0, comment.index)), answer: collapse(comment[1]) });
      else pending = collapse(line);
      continue;
    }
    const comment = /^\s*#\s*(.*)$/.exec(line);
    if (!comment) continue;
    rows.push({ stack, answer: collapse(comment[1]), ...(pending ? { command: pending } : {}) });
    pending = undefined;
  }
  return rows;
}
