import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProductionSecret } from './production-secrets';

type Env = (name: string, fallback?: string) => string | undefined;

const SECRETS_FILE = join(process.cwd(), '.tmp', 'dev-secrets.json');

/**
 * Reads a secret from the environment. Outside production a missing secret is generated once and persisted in
 * `.tmp/dev-secrets.json`, so the app boots with no set-up and stays stable across restarts. In production a missing
 * one reads as undefined: `strapi build` needs no secret, and a start without it is refused by
 * `assertProductionSecrets()`.
 */
export const secret = (env: Env, name: ProductionSecret, count = 1): string | undefined => {
  const value = env(name);
  if (value) return value;
  if (process.env.NODE_ENV === 'production') return undefined;
  const stored: Record<string, string> = existsSync(SECRETS_FILE) ? JSON.parse(readFileSync(SECRETS_FILE, 'utf8')) : {};
  if (!stored[name]) {
    stored[name] = Array.from({ length: count }, () => randomBytes(24).toString('base64')).join(',');
    mkdirSync(dirname(SECRETS_FILE), { recursive: true });
    writeFileSync(SECRETS_FILE, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return stored[name];
};
