import { App } from 'cdktf';
import { ConfigError, loadConfig } from './lib/config';
import { formatTokenStacksUnmapped } from './lib/token-stacks';
import { buildStacks } from './stacks';

formatTokenStacksUnmapped();
const app = new App();
try {
  const config = loadConfig({ env: process.env, context: (key) => app.node.tryGetContext(key) });
  buildStacks(app, config);
} catch (error) {
  if (error instanceof ConfigError) {
    // One clear message, no stack trace: the fix is in the message.
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
app.synth();
