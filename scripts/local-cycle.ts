import { loadConfig } from '../lib/config';
import { ensureEmulator, stopStartedEmulator } from './lib/emulator';
import { deployAll, destroyAll, synthesizeLocal } from './lib/local-cycle';
import { LOCAL_OUTDIR } from './lib/synth';
import { Timings } from './lib/stacks';
import { toolchain } from './lib/terraform';

/**
 * `npm run deploy:local` / `npm run destroy:local`: every stack against the local AWS emulator at
 * PIPELINES_LOCAL_ENDPOINT (started in the background if nothing answers there).
 *
 *   deploy   synthesize with PIPELINES_TARGET=local, apply every stack in order
 *   destroy  destroy every stack in reverse order (the state bucket stays); `--stop` also stops
 *            an emulator that deploy:local started
 */
async function main(command: string | undefined, flags: readonly string[]): Promise<void> {
  if (command !== 'deploy' && command !== 'destroy') {
    throw new Error('Usage: ts-node --swc scripts/local-cycle.ts deploy|destroy [--stop]');
  }
  const endpoint = loadConfig({ env: process.env }).localEndpoint;
  const timings = new Timings();
  const tc = toolchain();
  console.log(`Terraform providers: ${tc.mirror ? `mirror ${tc.mirror} (${tc.mirrorSource})` : tc.mirrorSource}`);
  const emulator = await timings.time('emulator', () => ensureEmulator(endpoint));
  console.log(`Emulator at ${endpoint}: ${emulator === 'started' ? 'started (left running; stop it with `npm run destroy:local -- --stop`)' : 'already running'}`);

  const { stacks } = await timings.time('synth', () => synthesizeLocal(endpoint));
  console.log(`Stacks (${LOCAL_OUTDIR}): ${stacks.map((s) => s.name).join(', ')}`);
  const options = { timings, echo: true, log: (line: string) => console.log(`=== ${line}`) };
  if (command === 'deploy') {
    await deployAll(stacks, options);
  } else {
    await destroyAll(stacks, options);
    if (flags.includes('--stop') && stopStartedEmulator()) console.log('Stopped the emulator that deploy:local started.');
  }
  console.log(`\n${command} finished.\n\n${timings.table()}`);
}

main(process.argv[2], process.argv.slice(3)).catch((error: Error) => {
  console.error(`\n${error.message}`);
  process.exit(1);
});
