/** Reads a required environment variable once, at cold start, failing loudly if the stack forgot it. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is not set; the stack that deploys this function must set it.`);
  }
  return value;
}
