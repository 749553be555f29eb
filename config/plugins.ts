import { secret } from '../src/dev-secrets';

export default ({ env }) => ({
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
      tokenCacheSeconds: env.int('API_TOKENS_CACHE_SECONDS', 5),
      rateLimit: {
        requestsPerMinute: env.int('API_TOKENS_RATE_LIMIT_PER_MINUTE', 600),
        failedAuth: {
          limit: env.int('API_TOKENS_FAILED_AUTH_LIMIT', 50),
          windowSeconds: env.int('API_TOKENS_FAILED_AUTH_WINDOW_SECONDS', 60),
        },
      },
    },
  },
});
