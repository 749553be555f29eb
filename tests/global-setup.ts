import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { compileStrapi } from '@strapi/strapi';
import { buildAdmin } from './helpers/browser';
import { CHROMIUM_PATH, postgresProblem, redisProblem } from './helpers/services';

/**
 * Builds the plugin and compiles the app once, so no test runs stale code (and, when browser suites will run,
 * builds the admin panel before any worker starts), then records which optional services this machine has.
 * Workers inherit these variables; suites skip with the printed reason, or fail where CI requires the service.
 */
export default async (globalConfig: { testPathPattern?: string }) => {
  execSync('npm run --silent build:plugin', { stdio: 'inherit' });

  const pg = await postgresProblem();
  if (pg && process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but ${pg}`);
  process.env.TEST_POSTGRES_SKIP_REASON = pg ?? '';
  if (pg) console.log(`\n[tests] Skipping the PostgreSQL suites: ${pg}`);

  const redis = await redisProblem();
  if (redis && process.env.REQUIRE_REDIS === '1') throw new Error(`REQUIRE_REDIS=1 but ${redis}`);
  process.env.TEST_REDIS_SKIP_REASON = redis ?? '';
  if (redis) console.log(`\n[tests] Skipping the Redis suites: ${redis}`);

  const chromium = existsSync(CHROMIUM_PATH) ? null : `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (chromium && process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${chromium}`);
  process.env.TEST_BROWSER_SKIP_REASON = chromium ?? '';
  if (chromium) console.log(`\n[tests] Skipping the browser suites: ${chromium}`);

  const pattern = globalConfig.testPathPattern;
  const browserSuites = readdirSync(path.join(__dirname, 'e2e')).filter((file) => file.endsWith('.test.ts'));
  const runsBrowserSuites =
    !chromium && browserSuites.some((file) => !pattern || new RegExp(pattern).test(`tests/e2e/${file}`));
  // `strapi build` compiles the app too; running it here keeps it from rewriting dist/ under a booting worker.
  if (runsBrowserSuites) await buildAdmin();
  else await compileStrapi();
};
