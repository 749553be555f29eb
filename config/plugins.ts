import { secret } from '../src/dev-secrets';

/**
 * Strapi's email plugin through SMTP (nodemailer) when SMTP_HOST is set. Without it the plugin keeps its default
 * provider, and subscriptions write their mail to `.tmp/outbox/` outside production (and fail the run in production).
 * Short timeouts make a server that is down or hangs fail a delivery in seconds, not minutes.
 */
const email = (env) => {
  const from = env('SMTP_FROM', 'Reporting hub <no-reply@localhost>');
  const settings = { defaultFrom: from, defaultReplyTo: from };
  const host = env('SMTP_HOST', '');
  if (!host) return { config: { settings } };
  const port = env.int('SMTP_PORT', 587);
  const user = env('SMTP_USER', '');
  return {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host,
        port,
        secure: env.bool('SMTP_SECURE', port === 465),
        auth: user ? { user, pass: env('SMTP_PASS', '') } : undefined,
        connectionTimeout: env.int('SMTP_CONNECTION_TIMEOUT_MS', 10_000),
        greetingTimeout: env.int('SMTP_GREETING_TIMEOUT_MS', 10_000),
        socketTimeout: env.int('SMTP_SOCKET_TIMEOUT_MS', 30_000),
        dnsTimeout: 10_000,
      },
      settings,
    },
  };
};

export default ({ env }) => ({
  email: email(env),
  'users-permissions': {
    config: {
      jwtSecret: secret(env, 'JWT_SECRET'),
    },
  },
  'api-tokens': {
    enabled: true,
    resolve: './src/plugins/api-tokens',
    config: {
      tokenPepper: env('API_TOKENS_PEPPER'),
      previousTokenPeppers: env.array('API_TOKENS_PREVIOUS_PEPPERS', []),
      embed: {
        jwtSecret: env('EMBED_JWT_SECRET'),
        previousJwtSecrets: env.array('EMBED_JWT_PREVIOUS_SECRETS', []),
        maxSessionMinutes: env.int('EMBED_MAX_SESSION_MINUTES', 480),
      },
      tokenCacheSeconds: env.int('API_TOKENS_CACHE_SECONDS', 5),
      scheduler: { tickSeconds: env.int('API_TOKENS_SCHEDULER_TICK_SECONDS', 15) },
      // Unset (undefined) keys keep the plugin's defaults: concurrency then depends on the database.
      runs: {
        leaseSeconds: env.int('API_TOKENS_RUN_LEASE_SECONDS', 60),
        retryBaseSeconds: env.int('API_TOKENS_RUN_RETRY_BASE_SECONDS', 60),
        concurrency: env.int('API_TOKENS_RUN_CONCURRENCY', undefined),
      },
      rateLimit: {
        requestsPerMinute: env.int('API_TOKENS_RATE_LIMIT_PER_MINUTE', 600),
        failedAuth: {
          limit: env.int('API_TOKENS_FAILED_AUTH_LIMIT', 50),
          windowSeconds: env.int('API_TOKENS_FAILED_AUTH_WINDOW_SECONDS', 60),
        },
        // memory, database (PostgreSQL) or redis; unset: redis with REDIS_URL, else database on PostgreSQL, else memory.
        store: env('API_TOKENS_RATE_LIMIT_STORE', '') || null,
      },
      redis: {
        url: env('REDIS_URL', '') || null,
        keyPrefix: env('API_TOKENS_REDIS_PREFIX', 'api-tokens:'),
      },
    },
  },
});
