import config, { defaultConfig } from '../../src/plugins/api-tokens/server/src/config';

const withRuns = (runs: Record<string, unknown>) =>
  ({ ...defaultConfig, runs: { ...defaultConfig.runs, ...runs } }) as typeof defaultConfig;

describe('runs.concurrency', () => {
  it.each([0, -2, 1.5, '4', Number.NaN])('stops the boot for %p', (concurrency) => {
    expect(() => config.validator(withRuns({ concurrency }))).toThrow(
      'api-tokens: runs.concurrency must be a positive integer'
    );
  });

  it.each([undefined, null, 1, 8])('accepts %p (unset: decided by the database at runtime)', (concurrency) => {
    expect(() => config.validator(withRuns({ concurrency }))).not.toThrow();
  });
});
