import { secret } from '../src/dev-secrets';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // Strapi 5 reads `server.proxy.koa` (a bare boolean is ignored): trust X-Forwarded-For only behind a proxy.
  proxy: { koa: env.bool('IS_PROXIED', false) },
  logger: {
    updates: { enabled: false },
  },
  app: {
    keys: secret(env, 'APP_KEYS', 4)?.split(','),
  },
});
