import { formatTokenStacksUnmapped } from '../../lib/token-stacks';

// Jest maps stack traces to the TypeScript sources; cdktf's token stacks need no mapping (lib/token-stacks.ts).
formatTokenStacksUnmapped();
