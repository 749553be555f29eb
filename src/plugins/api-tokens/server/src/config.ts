import type { RateLimitStore } from './cluster/limiter-store';

const RATE_LIMIT_STORES: RateLimitStore[] = ['memory', 'database', 'redis'];

export interface PluginConfig {
  /** API_TOKENS_PEPPER: the HMAC key for token digests. Required in production. */
  tokenPepper?: string | null;
  /** Older peppers that still verify tokens issued before a rotation; matches are re-keyed on use. */
  previousTokenPeppers: string[];
  /** lastUsedAt/lastUsedIp are written at most this often per token. */
  lastUsedIntervalSeconds: number;
  /** A denied request is audited at most this often per reason and token (or client IP). */
  deniedAuditSampleSeconds: number;
  /**
   * How long an instance may reuse a token lookup. A revoke applies at once on every instance (the cluster bus); within
   * this many seconds should an instance miss the message. 0 looks every request up.
   */
  tokenCacheSeconds: number;
  /**
   * On token-guarded routes: `requestsPerMinute` per token (429 past it; 0 turns it off), and `failedAuth.limit`
   * failed authentications per client IP within `failedAuth.windowSeconds` (past it, every request from that IP gets
   * 429 until the window ends, before any database access; 0 turns it off). `store` is where the counts live: `memory`
   * (each instance counts on its own), `database` (a table in PostgreSQL) or `redis` (`redis.url`); null picks redis
   * when `redis.url` is set, else database on PostgreSQL, else memory.
   */
  rateLimit: {
    requestsPerMinute: number;
    failedAuth: { limit: number; windowSeconds: number };
    store: RateLimitStore | null;
  };
  /**
   * REDIS_URL: when set, the instances share rate limits (unless `rateLimit.store` says otherwise) and cache
   * invalidations through Redis. `keyPrefix` namespaces the plugin's keys and channel.
   */
  redis: { url: string | null; keyPrefix: string };
  /**
   * The node-schedule tick every instance runs; tests turn it off (API_TOKENS_SCHEDULER_ENABLED=false) and call tick().
   * Every `reconcileSeconds` a tick also checks every scheduled target against its schedule row (a safety net for
   * changes that did not go through the plugin's services).
   */
  scheduler: { enabled: boolean; tickSeconds: number; reconcileSeconds: number };
  /**
   * Job runs: lease length, history retention, retry backoff base, the auto-disable threshold, and how many runs one
   * instance executes at once (`concurrency`; unset: 2 on SQLite, 4 on PostgreSQL).
   */
  runs: {
    leaseSeconds: number;
    retentionDays: number;
    maxConsecutiveFailures: number;
    retryBaseSeconds: number;
    concurrency?: number | null;
  };
  /** A schedule's cron may not fire more often than this. */
  minScheduleIntervalSeconds: number;
  /**
   * The content types semantic models may read: uids, or prefixes ending in `*`. Null means `['api::*']`, the
   * app's own types; plugin types (e.g. `plugin::users-permissions.user`) must be listed. An admin still needs the
   * content manager's read permission on the type and each field.
   */
  sources: { contentTypes: string[] | null };
  /** Audit events older than `retentionDays` are purged (at most hourly per instance, by the scheduler's tick). */
  audit: { retentionDays: number };
  /**
   * Subscriptions: at most `maxRecipients` recipients each; an HTML mail shows the first `htmlRowLimit` rows of each
   * report (the other formats attach every row).
   */
  subscriptions: { maxRecipients: number; htmlRowLimit: number };
  /**
   * Embed tokens: `jwtSecret` (EMBED_JWT_SECRET, required in production) signs them, `previousJwtSecrets` still
   * verify after a rotation; a session lasts at most `maxSessionMinutes` (the default when a request names none).
   */
  embed: { jwtSecret?: string | null; previousJwtSecrets: string[]; maxSessionMinutes: number };
  /**
   * Expiry reminders: the scheduler's tick mails a token's creator 7 days and 1 day before it expires, and when it
   * has expired (API_TOKENS_REMINDERS_ENABLED=false turns them off).
   */
  reminders: { enabled: boolean };
}

export const defaultConfig: PluginConfig = {
  tokenPepper: null,
  previousTokenPeppers: [],
  lastUsedIntervalSeconds: 300,
  deniedAuditSampleSeconds: 60,
  tokenCacheSeconds: 5,
  rateLimit: { requestsPerMinute: 600, failedAuth: { limit: 50, windowSeconds: 60 }, store: null },
  redis: { url: null, keyPrefix: 'api-tokens:' },
  scheduler: { enabled: true, tickSeconds: 15, reconcileSeconds: 300 },
  runs: { leaseSeconds: 60, retentionDays: 90, maxConsecutiveFailures: 4, retryBaseSeconds: 60 },
  minScheduleIntervalSeconds: 60,
  audit: { retentionDays: 90 },
  subscriptions: { maxRecipients: 100, htmlRowLimit: 50 },
  embed: { jwtSecret: null, previousJwtSecrets: [], maxSessionMinutes: 480 },
  reminders: { enabled: true },
  // Null, not ['api::*']: Strapi merges a user's array into the default one index by index.
  sources: { contentTypes: null },
};

const SOURCE_CONTENT_TYPE = /^(api::\*|(api|plugin)::[a-z0-9-]+\.(\*|[a-z0-9-]+))$/;

const isPositive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

export default {
  default: ({ env }: { env: { bool(name: string, fallback: boolean): boolean } }): PluginConfig => ({
    ...defaultConfig,
    scheduler: { ...defaultConfig.scheduler, enabled: env.bool('API_TOKENS_SCHEDULER_ENABLED', true) },
    reminders: { enabled: env.bool('API_TOKENS_REMINDERS_ENABLED', true) },
  }),
  validator(config: PluginConfig) {
    if (config.tokenPepper != null && typeof config.tokenPepper !== 'string') {
      throw new Error('api-tokens: tokenPepper must be a string');
    }
    if (config.embed?.jwtSecret != null && typeof config.embed.jwtSecret !== 'string') {
      throw new Error('api-tokens: embed.jwtSecret must be a string');
    }
    if (!Array.isArray(config.embed?.previousJwtSecrets)) {
      throw new Error('api-tokens: embed.previousJwtSecrets must be an array of strings');
    }
    if (!Number.isInteger(config.embed?.maxSessionMinutes) || config.embed.maxSessionMinutes < 1) {
      throw new Error('api-tokens: embed.maxSessionMinutes must be an integer ≥ 1');
    }
    if (!Array.isArray(config.previousTokenPeppers)) {
      throw new Error('api-tokens: previousTokenPeppers must be an array of strings');
    }
    for (const key of ['lastUsedIntervalSeconds', 'deniedAuditSampleSeconds'] as const) {
      if (!isPositive(config[key])) throw new Error(`api-tokens: ${key} must be a positive number`);
    }
    if (typeof config.tokenCacheSeconds !== 'number' || !(config.tokenCacheSeconds >= 0)) {
      throw new Error('api-tokens: tokenCacheSeconds must be a number ≥ 0');
    }
    const limits: [string, unknown][] = [
      ['rateLimit.requestsPerMinute', config.rateLimit?.requestsPerMinute],
      ['rateLimit.failedAuth.limit', config.rateLimit?.failedAuth?.limit],
    ];
    const store = config.rateLimit?.store;
    if (store != null && !RATE_LIMIT_STORES.includes(store)) {
      throw new Error(
        `api-tokens: rateLimit.store must be one of ${RATE_LIMIT_STORES.join(', ')} (or null), got "${store}"`
      );
    }
    if (config.redis?.url != null && typeof config.redis.url !== 'string') {
      throw new Error('api-tokens: redis.url must be a string');
    }
    if (typeof config.redis?.keyPrefix !== 'string') throw new Error('api-tokens: redis.keyPrefix must be a string');
    for (const key of ['maxRecipients', 'htmlRowLimit'] as const) {
      const value = config.subscriptions?.[key];
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`api-tokens: subscriptions.${key} must be an integer ≥ 1`);
    }
    for (const [key, value] of limits) {
      if (!Number.isInteger(value) || (value as number) < 0)
        throw new Error(`api-tokens: ${key} must be an integer ≥ 0`);
    }
    if (typeof config.scheduler?.enabled !== 'boolean')
      throw new Error('api-tokens: scheduler.enabled must be a boolean');
    if (typeof config.reminders?.enabled !== 'boolean')
      throw new Error('api-tokens: reminders.enabled must be a boolean');
    const numbers: [string, unknown][] = [
      ['scheduler.tickSeconds', config.scheduler?.tickSeconds],
      ['scheduler.reconcileSeconds', config.scheduler?.reconcileSeconds],
      ['minScheduleIntervalSeconds', config.minScheduleIntervalSeconds],
      ['audit.retentionDays', config.audit?.retentionDays],
      ['rateLimit.failedAuth.windowSeconds', config.rateLimit?.failedAuth?.windowSeconds],
      ...(['leaseSeconds', 'retentionDays', 'maxConsecutiveFailures', 'retryBaseSeconds'] as const).map(
        (key): [string, unknown] => [`runs.${key}`, config.runs?.[key]]
      ),
    ];
    for (const [key, value] of numbers) {
      if (!isPositive(value)) throw new Error(`api-tokens: ${key} must be a positive number`);
    }
    const contentTypes = config.sources?.contentTypes;
    if (contentTypes !== null && !Array.isArray(contentTypes)) {
      throw new Error('api-tokens: sources.contentTypes must be an array of content-type uids (or null for api::*)');
    }
    for (const entry of contentTypes ?? []) {
      if (typeof entry !== 'string' || !SOURCE_CONTENT_TYPE.test(entry) || entry.startsWith('plugin::api-tokens.')) {
        throw new Error(
          `api-tokens: sources.contentTypes has "${entry}"; expected a uid such as api::sale.sale or plugin::users-permissions.user, or a prefix such as api::* (never this plugin's own types)`
        );
      }
    }
    const concurrency = config.runs?.concurrency;
    if (concurrency != null && !(Number.isInteger(concurrency) && concurrency > 0)) {
      throw new Error('api-tokens: runs.concurrency must be a positive integer');
    }
  },
};

export const getConfig = (): PluginConfig => strapi.config.get('plugin::api-tokens') as PluginConfig;
