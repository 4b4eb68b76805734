import { ConfigError } from '../../../lib/config';
import { DEFAULT_PROFILE, loadProfile, PROFILE_SETTINGS } from '../../../scripts/lib/cost/profile';

describe('loadProfile', () => {
  it('states a default for every setting', () => {
    expect(loadProfile({})).toEqual({ requestsPerDay: 10_000, payloadBytes: 1024, recordsPerRequest: 1, logBytesPerRequest: 1024, lambdaDurationMs: 100 });
    expect(loadProfile({})).toEqual(DEFAULT_PROFILE);
  });

  it('reads each setting from its environment variable', () => {
    expect(loadProfile({ PIPELINES_COST_REQUESTS_PER_DAY: '0', PIPELINES_COST_RECORDS_PER_REQUEST: ' 500 ' })).toMatchObject({ requestsPerDay: 0, recordsPerRequest: 500 });
  });

  it('stops on every bad value at once, naming the setting and the fix', () => {
    let error: ConfigError | undefined;
    try {
      loadProfile({ PIPELINES_COST_PAYLOAD_BYTES: '1.5', PIPELINES_COST_RECORDS_PER_REQUEST: '501', PIPELINES_COST_LAMBDA_MS: 'fast' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      'PIPELINES_COST_PAYLOAD_BYTES="1.5": must be a whole number from 1 to 1048576. Fix: set PIPELINES_COST_PAYLOAD_BYTES, e.g. 1024 (the default), or unset it',
      'PIPELINES_COST_RECORDS_PER_REQUEST="501": must be a whole number from 1 to 500. Fix: set PIPELINES_COST_RECORDS_PER_REQUEST, e.g. 1 (the default), or unset it',
      'PIPELINES_COST_LAMBDA_MS="fast": must be a whole number from 1 to 900000. Fix: set PIPELINES_COST_LAMBDA_MS, e.g. 100 (the default), or unset it',
    ]);
  });

  it('documents each setting with its range', () => {
    for (const setting of Object.values(PROFILE_SETTINGS)) expect(setting.description).toContain(`${setting.min}-${setting.max}`);
  });
});
