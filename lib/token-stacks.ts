const WRAPPED = Symbol.for('serverless-pipelines.token-stacks');

/**
 * cdktf records the call stack where every token is created (`captureStackTrace` in
 * cdktf/lib/tokens/private/stack-trace.js, on a plain `{ stack: "" }` object), thousands per
 * synthesis. Under ts-node or jest, source-map support maps every frame of every one of them back to
 * TypeScript: about half of a synthesis's time in a profile. This formats those plain-object
 * captures the way V8 does by default and leaves every real error's stack mapped. Calling it again
 * changes nothing.
 */
export function formatTokenStacksUnmapped(): void {
  const mapped = Error.prepareStackTrace as (((error: Error, frames: NodeJS.CallSite[]) => unknown) & { [WRAPPED]?: true }) | undefined;
  if (!mapped || mapped[WRAPPED]) return;
  const wrapper = (error: Error, frames: NodeJS.CallSite[]) =>
    Object.getPrototypeOf(error) === Object.prototype ? ['Error', ...frames.map((frame) => `    at ${String(frame)}`)].join('\n') : mapped(error, frames);
  Error.prepareStackTrace = Object.assign(wrapper, { [WRAPPED]: true as const });
}
