import { Client } from 'pg';
import supertest from 'supertest';
import { startInstanceProcess, type InstanceProcess } from '../helpers/instances';
import { postgresAdmin, POSTGRES } from '../helpers/services';
import { startStrapi, type TestApp } from '../helpers/strapi';

/** The secrets every instance must share (README "Running several instances"); set explicitly, as in production. */
export const SHARED_SECRETS = {
  API_TOKENS_PEPPER: 'cluster-test-pepper-9f3c1a7e5b2d4c6e8a0b1c2d3e4f5a6b',
  EMBED_JWT_SECRET: 'cluster-test-embed-secret-1b2c3d4e5f6a7b8c9d0e1f2a3b4c',
};

export interface Cluster<T> {
  fixtures: T;
  instances: InstanceProcess[];
  databaseName: string;
  /** An HTTP client for instance `i`, with `Authorization: Bearer <token>` when a token is given. */
  http(i: number, token?: string): supertest.Agent;
  /** SQL on the cluster's database, outside every instance. */
  sql<R = Record<string, any>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Stops the instances still running and drops the database. */
  stop(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` gives a truthy value; throws after `timeoutMs`. */
export const eventually = async <T>(check: () => Promise<T>, timeoutMs = 30_000, everyMs = 100): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
};

/**
 * A fresh PostgreSQL database prepared by an in-process Strapi (`setup` gets its admin agent, seeds and creates what
 * the suite needs, then that Strapi stops), then `size` instances, each a real Strapi in its own OS process
 * listening on HTTP, on that database. `env` applies to every boot; `instanceEnv` only to the instances.
 */
export const startCluster = async <T>({
  size = 3,
  env = {},
  instanceEnv = {},
  setup,
}: {
  size?: number;
  env?: Record<string, string>;
  instanceEnv?: Record<string, string>;
  setup: (app: TestApp) => Promise<T>;
}): Promise<Cluster<T>> => {
  const app = await startStrapi({
    database: 'postgres',
    env: { ...SHARED_SECRETS, API_TOKENS_SCHEDULER_ENABLED: 'false', ...env },
  });
  const { databaseName } = app;
  let fixtures: T;
  try {
    fixtures = await setup(app);
  } catch (error) {
    await app.stop();
    throw error;
  }
  await app.stop({ keepDatabase: true });

  const booted = await Promise.allSettled(Array.from({ length: size }, () => startInstanceProcess(instanceEnv)));
  const instances = booted.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const client = new Client({ ...POSTGRES, database: databaseName });
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.stop().catch(() => instance.kill9())));
    await client.end().catch(() => {});
    await postgresAdmin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  };
  const failed = booted.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  await client.connect();

  return {
    fixtures,
    instances,
    databaseName,
    http(i, token) {
      const agent = supertest.agent(instances[i].url);
      return token ? agent.auth(token, { type: 'bearer' }) : agent;
    },
    async sql(text, params = []) {
      return (await client.query(text, params)).rows;
    },
    stop,
  };
};
