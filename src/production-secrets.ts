/** What production cannot start without (the build needs none of them), with how to make each one. */
const PRODUCTION_SECRETS = {
  APP_KEYS: 'a comma-separated list of random keys',
  ADMIN_JWT_SECRET: 'a random string',
  API_TOKEN_SALT: 'a random string',
  TRANSFER_TOKEN_SALT: 'a random string',
  ENCRYPTION_KEY: 'a random string',
  JWT_SECRET: 'a random string',
  API_TOKENS_PEPPER: 'a random string of at least 32 characters',
  EMBED_JWT_SECRET: 'a random string of at least 32 characters',
} as const;

export type ProductionSecret = keyof typeof PRODUCTION_SECRETS;

/**
 * Refuses a production start that lacks any secret, naming every missing one in one message. Called first thing in
 * the app's register(); config files only read the secrets, so `strapi build` runs without them.
 */
export const assertProductionSecrets = (env: NodeJS.ProcessEnv = process.env) => {
  if (env.NODE_ENV !== 'production') return;
  const missing = (Object.keys(PRODUCTION_SECRETS) as ProductionSecret[]).filter((name) => !env[name]?.trim());
  if (missing.length === 0) return;
  throw new Error(
    [
      `Refusing to start in production: ${missing.length} secret(s) missing from the environment.`,
      ...missing.map((name) => `  ${name} must be set in production (${PRODUCTION_SECRETS[name]})`),
    ].join('\n')
  );
};
