import config, { defaultConfig } from '../../src/plugins/api-tokens/server/src/config';

describe('reminders.enabled', () => {
  it.each([undefined, 'false', 0, null])('stops the boot for %p', (enabled) => {
    expect(() => config.validator({ ...defaultConfig, reminders: { enabled } } as any)).toThrow(
      'api-tokens: reminders.enabled must be a boolean'
    );
  });

  it('defaults to true, and API_TOKENS_REMINDERS_ENABLED=false turns it off', () => {
    const env = (value?: string) => ({
      bool: (name: string, fallback: boolean) =>
        name === 'API_TOKENS_REMINDERS_ENABLED' && value !== undefined ? value === 'true' : fallback,
    });
    expect(config.default({ env: env() }).reminders).toEqual({ enabled: true });
    expect(config.default({ env: env('false') }).reminders).toEqual({ enabled: false });
    expect(() => config.validator(config.default({ env: env() }))).not.toThrow();
  });
});
