import { secret } from '../src/dev-secrets';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('IS_PROXIED', false),
  logger: {
    updates: { enabled: false },
  },
  app: {
    keys: secret(env, 'APP_KEYS', 4)?.split(','),
  },
});
