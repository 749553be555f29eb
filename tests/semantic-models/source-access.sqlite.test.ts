import pluginConfig, { defaultConfig } from '../../src/plugins/api-tokens/server/src/config';
import { sourceAccessSuite } from './source-access-suite';

const USERS = 'plugin::users-permissions.user';

describe('the sources.contentTypes option is validated at boot', () => {
  const validate = (contentTypes: unknown) => () =>
    pluginConfig.validator({ ...defaultConfig, sources: { contentTypes } } as any);

  it.each([[null], [['api::*']], [['api::sale.sale', USERS, 'plugin::upload.*']]])('accepts %j', (value) => {
    expect(validate(value)).not.toThrow();
  });

  it.each([['api::*'], [['admin::user']], [['plugin::api-tokens.api-token']], [['users']], [[7]]])(
    'refuses %j, naming the option',
    (value) => {
      expect(validate(value)).toThrow(/sources\.contentTypes/);
    }
  );
});

sourceAccessSuite('sqlite');
