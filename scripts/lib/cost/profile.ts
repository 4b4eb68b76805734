import { ConfigError } from '../../../lib/config';

/**
 * The traffic profile an estimate is priced at: typed settings read from the environment, each
 * with a stated default and range, all checked at once (as lib/config.ts does for the app's).
 */
export interface TrafficProfile {
  /** Requests a day to each API. */
  readonly requestsPerDay: number;
  /** Bytes of one request body, which is also the size of the item, message or record it becomes. */
  readonly payloadBytes: number;
  /** Kinesis records one request to a Kinesis API puts. */
  readonly recordsPerRequest: number;
  /** Bytes each log group that sees a request or invocation writes for it. */
  readonly logBytesPerRequest: number;
  /** Billed duration of one Lambda invocation, in milliseconds. */
  readonly lambdaDurationMs: number;
}

interface ProfileSetting {
  readonly env: string;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}

export const PROFILE_SETTINGS = {
  requestsPerDay: {
    env: 'PIPELINES_COST_REQUESTS_PER_DAY',
    fallback: 10_000,
    min: 0,
    max: 1_000_000_000,
    description: 'Requests a day to each API (0-1000000000).',
  },
  payloadBytes: {
    env: 'PIPELINES_COST_PAYLOAD_BYTES',
    fallback: 1024,
    min: 1,
    max: 1_048_576,
    description: 'Bytes of one request body, stored as one item, message or record (1-1048576).',
  },
  recordsPerRequest: {
    env: 'PIPELINES_COST_RECORDS_PER_REQUEST',
    fallback: 1,
    min: 1,
    max: 500,
    description: 'Kinesis records one request to a Kinesis API puts (1-500, the PutRecords limit).',
  },
  logBytesPerRequest: {
    env: 'PIPELINES_COST_LOG_BYTES_PER_REQUEST',
    fallback: 1024,
    min: 0,
    max: 1_048_576,
    description: 'Bytes each log group writes per request or invocation it sees (0-1048576).',
  },
  lambdaDurationMs: {
    env: 'PIPELINES_COST_LAMBDA_MS',
    fallback: 100,
    min: 1,
    max: 900_000,
    description: 'Billed milliseconds of one Lambda invocation (1-900000, the 15-minute limit).',
  },
} as const satisfies Record<keyof TrafficProfile, ProfileSetting>;

export const DEFAULT_PROFILE: TrafficProfile = Object.fromEntries(
  Object.entries(PROFILE_SETTINGS).map(([name, setting]) => [name, setting.fallback]),
) as unknown as TrafficProfile;

/** Reads the profile; throws one ConfigError naming every bad setting and its fix. */
export function loadProfile(env: Readonly<Record<string, string | undefined>>): TrafficProfile {
  const problems: string[] = [];
  const profile: Record<string, number> = {};
  for (const [name, setting] of Object.entries(PROFILE_SETTINGS) as [keyof TrafficProfile, ProfileSetting][]) {
    const raw = env[setting.env]?.trim();
    if (raw === undefined || raw === '') {
      profile[name] = setting.fallback;
      continue;
    }
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= setting.min && value <= setting.max)) {
      problems.push(
        `${setting.env}=${JSON.stringify(raw)}: must be a whole number from ${setting.min} to ${setting.max}. Fix: set ${setting.env}, e.g. ${setting.fallback} (the default), or unset it`,
      );
    }
    profile[name] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return profile as unknown as TrafficProfile;
}
