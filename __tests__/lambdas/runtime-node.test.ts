import { DEFAULT_RUNTIME, esbuildTarget } from '../../lib/bundling';

describe('the Node.js the tests run on', () => {
  it(`is the functions' runtime major (${DEFAULT_RUNTIME}), as pinned in package.json`, () => {
    // npm scripts put node_modules/.bin first on PATH, where the pinned node-linux-* package links
    // its binary; elsewhere, run `npm test` with Node 22 on PATH.
    expect(`node${process.versions.node.split('.')[0]}`).toBe(esbuildTarget(DEFAULT_RUNTIME));
  });
});
