import type { Core } from '@strapi/strapi';
import { registerSqliteFunctions } from './query/sqlite-functions';
import { MODEL_UID } from './semantic-models/service';
import { TOKEN_UID } from './tokens/service';
import { getService } from './utils/get-service';
import { registerRootRoutes } from './utils/root-routes';
import { backfillNameKeys } from './utils/unique-name';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  // Rows from before names had a unique case-insensitive key (the schema sync has just added the column).
  for (const uid of [TOKEN_UID, MODEL_UID] as const) await backfillNameKeys(strapi, uid);
  // The rate limiters' shared store and the cache-invalidation bus, before the services that use them.
  await getService('cluster').start();
  // Fails the boot in production when API_TOKENS_PEPPER or EMBED_JWT_SECRET is missing. Not in register(): the app's register() runs
  // after the plugins' and names every missing secret at once.
  getService('tokens').getPeppers();
  getService('embeds').getKeys();
  // The query layer's date buckets on SQLite: a function on every pooled connection, present and future.
  if (strapi.db.dialect.client === 'sqlite') registerSqliteFunctions(strapi.db.connection);
  registerRootRoutes(strapi);
  // The job scheduler's tick (off when scheduler.enabled is false, e.g. API_TOKENS_SCHEDULER_ENABLED=false in tests).
  getService('scheduler').start();
};

export default bootstrap;
