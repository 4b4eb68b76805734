import { ERROR_CASES } from '../e2e/local-plane/error-rows';
import { readmeErrorRows } from '../support/readme-error-rows';

// Every error row of every pipeline's README table is tested through serve:local in the e2e tier
// (__tests__/e2e/local-plane/error-rows.ts), or says why the emulator cannot produce it.
describe('README error rows and the e2e error cases', () => {
  const rows = readmeErrorRows();
  const key = (stack: string, answer: string) => `${stack} | ${answer}`;

  it('finds the rows of all five pipelines', () => {
    expect(new Set(rows.map((r) => r.stack))).toEqual(new Set(Object.keys(ERROR_CASES)));
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it('has a case for every README row and no case for a row the README no longer has', () => {
    const documented = rows.map((r) => key(r.stack, r.answer)).sort();
    const cased = Object.entries(ERROR_CASES).flatMap(([stack, cases]) => Object.keys(cases).map((answer) => key(stack, answer))).sort();
    expect(cased).toEqual(documented);
  });

  it('names the reason for every row that is not produced locally', () => {
    for (const cases of Object.values(ERROR_CASES)) {
      for (const c of Object.values(cases)) if ('notLocal' in c) expect(c.notLocal.length).toBeGreaterThan(20);
    }
  });
});
