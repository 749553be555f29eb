import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { APP_DIR, removeSqliteDatabase } from '../helpers/strapi';

const DATABASE = `.tmp/test-policy-config-${process.pid}.db`;

/**
 * Boots the app with one more route on `api::sale` whose policy entry is `policy`, added between register() and
 * bootstrap() (as an app's route file would be): the boot's error, or null when it booted.
 */
const bootWithRoute = async (policy: unknown): Promise<Error | null> => {
  process.env.DATABASE_CLIENT = 'sqlite';
  process.env.DATABASE_FILENAME = DATABASE;
  process.env.API_TOKENS_SCHEDULER_ENABLED = 'false';
  const strapi = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist') });
  try {
    await strapi.register();
    (strapi.api('sale') as any).routes['policy-config-test'] = {
      type: 'content-api',
      routes: [
        {
          method: 'GET',
          path: '/sales/policy-config-test',
          handler: 'api::sale.sale.summary',
          config: { auth: false, policies: [policy] },
        },
      ],
    };
    await strapi.bootstrap();
    return null;
  } catch (error) {
    return error as Error;
  } finally {
    await strapi.destroy().catch(() => {});
  }
};

describe('the has-scope policy checks its config when the routes load', () => {
  afterAll(() => {
    removeSqliteDatabase(DATABASE);
    delete process.env.API_TOKENS_SCHEDULER_ENABLED;
  });

  const ROUTE = 'Error creating endpoint GET /sales/policy-config-test: plugin::api-tokens.has-scope: ';

  it.each([
    ['a missing config', 'plugin::api-tokens.has-scope', 'config.scopes is missing'],
    ['a missing config object', { name: 'plugin::api-tokens.has-scope' }, 'the config is missing'],
    [
      'a misspelled key',
      { name: 'plugin::api-tokens.has-scope', config: { scope: ['sales:read'] } },
      'unknown config key(s) "scope"',
    ],
    [
      'a string in place of the array',
      { name: 'plugin::api-tokens.has-scope', config: { scopes: 'sales:read' } },
      'config.scopes must be an array, got "sales:read"',
    ],
    [
      'an unknown scope',
      { name: 'plugin::api-tokens.has-scope', config: { scopes: ['sales:read', 'sale:read'] } },
      'config.scopes holds unregistered scope(s) "sale:read"; registered: ',
    ],
  ])('stops the boot for %s, naming the route', async (_case, policy, problem) => {
    const error = await bootWithRoute(policy);
    expect(error?.message).toContain(`${ROUTE}${problem}`);
  });

  it('boots with scopes the app registered in its register(), and with [] for any valid token', async () => {
    expect(
      await bootWithRoute({ name: 'plugin::api-tokens.has-scope', config: { scopes: ['sales:read'] } })
    ).toBeNull();
    expect(await bootWithRoute({ name: 'plugin::api-tokens.has-scope', config: { scopes: [] } })).toBeNull();
  });
});
