import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createStrapi, type Core } from '@strapi/strapi';
import supertest from 'supertest';
import { postgresAdmin, POSTGRES } from './services';

export const APP_DIR = path.resolve(__dirname, '../..');

/** Removes a SQLite database and its side files (path relative to the app). */
export const removeSqliteDatabase = (filename: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    rmSync(path.join(APP_DIR, `${filename}${suffix}`), { force: true });
  }
};

/**
 * `createStrapi().load()` of the compiled app in a child process with exactly `env` (plus its own SQLite file), as
 * `strapi start` does before it listens: for boots that must fail, e.g. production without its secrets.
 */
export const bootInChildProcess = (env: NodeJS.ProcessEnv) => {
  const database = `.tmp/child-boot-${process.pid}-${Date.now()}.db`;
  const script = `
    const { createStrapi } = require('@strapi/strapi');
    createStrapi({ appDir: ${JSON.stringify(APP_DIR)}, distDir: ${JSON.stringify(path.join(APP_DIR, 'dist'))} })
      .load()
      .then(async (strapi) => { await strapi.destroy(); console.log('BOOTED'); process.exit(0); })
      .catch((error) => { console.error('BOOT FAILED: ' + error.message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: APP_DIR,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...env, DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: database },
  });
  removeSqliteDatabase(database);
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
};

export const ADMIN = {
  email: 'admin@test.local',
  password: 'Admin-password-1',
  firstname: 'Test',
  lastname: 'Admin',
};

export type Database = 'sqlite' | 'postgres';

export interface StartOptions {
  database?: Database;
  /** Reuse the database of an earlier `startStrapi` (to test restarts). */
  databaseName?: string;
  /** Extra environment for this boot, e.g. plugin secrets. */
  env?: Record<string, string | undefined>;
}

export interface TestApp {
  strapi: Core.Strapi;
  database: Database;
  /** The SQLite file or the PostgreSQL database name. */
  databaseName: string;
  /** An agent with no credentials. */
  anonymous: () => supertest.Agent;
  /** An agent logged in as the super-admin. */
  admin: supertest.Agent;
  /** An agent sending `Authorization: Bearer <token>`. */
  bearer: (token: string) => supertest.Agent;
  /** Logs in as a new admin user with the given role code (e.g. `strapi-editor`) and returns its agent. */
  adminWithRole: (roleCode: string) => Promise<supertest.Agent>;
  /** Destroys Strapi; drops the database unless `keepDatabase`. */
  stop: (options?: { keepDatabase?: boolean }) => Promise<void>;
}

const setEnv = (values: Record<string, string | undefined>) => {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
};

const login = async (server: any, email: string, password: string): Promise<string> => {
  const res = await supertest(server).post('/admin/login').send({ email, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token;
};

/** Registers the first admin on a fresh database, then logs in through the admin API. */
const loginAsAdmin = async (strapi: Core.Strapi): Promise<supertest.Agent> => {
  const server = strapi.server.httpServer;
  if ((await strapi.db.query('admin::user').count()) === 0) {
    const res = await supertest(server).post('/admin/register-admin').send(ADMIN);
    if (res.status !== 200) throw new Error(`register-admin failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return supertest.agent(server).auth(await login(server, ADMIN.email, ADMIN.password), { type: 'bearer' });
};

/** Boots a real Strapi (compiled once by the jest global setup) on its own database and logs in an admin. */
export const startStrapi = async (options: StartOptions = {}): Promise<TestApp> => {
  const database = options.database ?? 'sqlite';
  const unique = `${process.env.JEST_WORKER_ID ?? '1'}_${process.pid}_${Date.now()}`;
  let databaseName = options.databaseName;

  if (database === 'sqlite') {
    databaseName ??= `.tmp/test-${unique}.db`;
    setEnv({ DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: databaseName });
  } else {
    if (!databaseName) {
      databaseName = `api_tokens_test_${unique}`;
      await postgresAdmin(`CREATE DATABASE "${databaseName}"`);
    }
    setEnv({
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: POSTGRES.host,
      DATABASE_PORT: String(POSTGRES.port),
      DATABASE_USERNAME: POSTGRES.user,
      DATABASE_PASSWORD: POSTGRES.password,
      DATABASE_NAME: databaseName,
    });
  }
  setEnv(options.env ?? {});

  const instance = createStrapi({ appDir: APP_DIR, distDir: path.join(APP_DIR, 'dist') });
  const strapi = await instance.load().catch(async (error) => {
    await instance.destroy().catch(() => {});
    throw error;
  });
  let admin: supertest.Agent;
  try {
    strapi.server.mount();
    admin = await loginAsAdmin(strapi);
  } catch (error) {
    await strapi.destroy();
    throw error;
  }
  const server = strapi.server.httpServer;

  let users = 0;
  let stopped = false;
  return {
    strapi,
    database,
    databaseName,
    anonymous: () => supertest.agent(server),
    admin,
    bearer: (token: string) => supertest.agent(server).auth(token, { type: 'bearer' }),
    async adminWithRole(roleCode: string) {
      const role = await strapi.db.query('admin::role').findOne({ where: { code: roleCode } });
      const email = `user${(users += 1)}-${roleCode}@test.local`;
      await strapi.service('admin::user').create({
        email,
        firstname: 'Role',
        lastname: roleCode,
        password: ADMIN.password,
        isActive: true,
        registrationToken: null,
        roles: [role.id],
      });
      return supertest.agent(server).auth(await login(server, email, ADMIN.password), { type: 'bearer' });
    },
    async stop({ keepDatabase = false } = {}) {
      if (stopped) return;
      stopped = true;
      await strapi.destroy();
      if (keepDatabase) return;
      if (database === 'sqlite') {
        removeSqliteDatabase(databaseName);
      } else {
        await postgresAdmin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      }
    },
  };
};

/** `describe` for a suite that needs Redis (and PostgreSQL): skipped, with the reason printed, where there is none. */
export const describeOnRedis = (): jest.Describe => {
  const reason = process.env.TEST_REDIS_SKIP_REASON || process.env.TEST_POSTGRES_SKIP_REASON;
  if (!reason) return describe;
  console.log(`Skipping Redis suite: ${reason}`);
  return describe.skip;
};

/** `describe` for a suite that needs PostgreSQL: skipped, with the reason printed, where there is none. */
export const describeOnDatabase = (database: Database): jest.Describe => {
  const reason = database === 'postgres' ? process.env.TEST_POSTGRES_SKIP_REASON : '';
  if (!reason) return describe;
  console.log(`Skipping PostgreSQL suite: ${reason}`);
  return describe.skip;
};
