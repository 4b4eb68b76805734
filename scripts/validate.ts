import { synthesize } from './lib/synth';
import { Timings } from './lib/stacks';
import { toolchain } from './lib/terraform';
import { validateStacks } from './lib/validate';

/** `npm run validate`: synthesize once, then init (no backend) and validate every stack. */
async function main(): Promise<void> {
  const timings = new Timings();
  const tc = toolchain();
  console.log(`Terraform providers: ${tc.mirror ? `mirror ${tc.mirror} (${tc.mirrorSource})` : tc.mirrorSource}`);
  const { stacks } = await timings.time('synth', () => synthesize());
  await validateStacks(stacks, timings);
  console.log(`Valid: ${stacks.map((s) => s.name).join(', ')}\n\n${timings.table()}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
