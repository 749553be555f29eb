/**
 * `npm run docs:api`: boots the app on a throw-away SQLite database, takes the OpenAPI document it serves, and writes
 * docs/openapi.json and docs/reporting-hub.postman_collection.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileStrapi, createStrapi } from '@strapi/strapi';
import { postmanCollection } from './postman-collection';

const APP_DIR = path.resolve(__dirname, '..');
const OPENAPI_FILE = path.join(APP_DIR, 'docs/openapi.json');
const POSTMAN_FILE = path.join(APP_DIR, 'docs/reporting-hub.postman_collection.json');

const main = async () => {
  const database = `.tmp/docs-api-${process.pid}.db`;
  Object.assign(process.env, {
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: database,
    API_TOKENS_SCHEDULER_ENABLED: 'false',
    STRAPI_TELEMETRY_DISABLED: 'true',
    LOG_LEVEL: 'warn',
  });
  await compileStrapi();
  const strapi = await createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist') }).load();
  try {
    const service = strapi.plugin('api-tokens').service('openapi');
    const undocumented: string[] = service.undocumented();
    if (undocumented.length) throw new Error(`Routes without a description: ${undocumented.join('; ')}`);
    const document = service.document();
    mkdirSync(path.dirname(OPENAPI_FILE), { recursive: true });
    writeFileSync(OPENAPI_FILE, `${JSON.stringify(document, null, 2)}\n`);
    writeFileSync(POSTMAN_FILE, `${JSON.stringify(await postmanCollection(document), null, 2)}\n`);
    console.log(`Wrote ${path.relative(APP_DIR, OPENAPI_FILE)} and ${path.relative(APP_DIR, POSTMAN_FILE)}`);
  } finally {
    await strapi.destroy();
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      rmSync(path.join(APP_DIR, `${database}${suffix}`), { force: true });
    }
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
