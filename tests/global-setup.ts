import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { compileStrapi } from '@strapi/strapi';
import { CHROMIUM_PATH, postgresProblem } from './helpers/services';

/**
 * Builds the plugin and compiles the app once, so no test runs stale code, then records which optional services this machine has.
 * Workers inherit these variables; suites skip with the printed reason, or fail where CI requires the service.
 */
export default async () => {
  execSync('npm run --silent build:plugin', { stdio: 'inherit' });
  await compileStrapi();

  const pg = await postgresProblem();
  if (pg && process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but ${pg}`);
  process.env.TEST_POSTGRES_SKIP_REASON = pg ?? '';
  if (pg) console.log(`\n[tests] Skipping the PostgreSQL suites: ${pg}`);

  const chromium = existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (chromium && process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${chromium}`);
  process.env.TEST_BROWSER_SKIP_REASON = chromium ?? '';
  if (chromium) console.log(`\n[tests] Skipping the browser suites: ${chromium}`);
};
