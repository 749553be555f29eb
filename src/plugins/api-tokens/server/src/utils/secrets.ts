import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Secret {
  /** A short fingerprint of the value, stored or sent beside what it keys, so the secret can be rotated. */
  id: string;
  value: string;
}

export interface SecretSet {
  current: Secret;
  /** The current secret first, then the previous ones that still verify what older secrets keyed. */
  all: Secret[];
}

export interface SecretOptions {
  /** The environment variable of the current secret, e.g. `API_TOKENS_PEPPER`. */
  envName: string;
  /** The environment variable of the previous secrets, e.g. `API_TOKENS_PREVIOUS_PEPPERS`. */
  previousEnvName: string;
  /** Where development keeps its generated secret, relative to the app root (`.tmp/…`). */
  devFile: string;
  /** Salts the fingerprint, so two secrets of different purposes never share an id. */
  idLabel: string;
  configured?: string | null;
  previous?: string[];
  production: boolean;
  appRoot: string;
}

export const MIN_SECRET_LENGTH = 32;

const toSecret = (value: string, envName: string, idLabel: string): Secret => {
  if (value.length < MIN_SECRET_LENGTH) {
    throw new Error(`api-tokens: ${envName} must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  const id = createHash('sha256').update(`${idLabel}-id:${value}`).digest('hex').slice(0, 12);
  return { id, value };
};

const readOrCreateDevSecret = (file: string): string => {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, value, { mode: 0o600 });
  chmodSync(file, 0o600);
  return value;
};

/**
 * A plugin secret from its environment variable, required in production. Elsewhere a random one is generated once
 * and kept in `.tmp/`, so what it keys survives restarts.
 */
export const resolveSecrets = (options: SecretOptions): SecretSet => {
  let value = options.configured?.trim();
  if (!value) {
    if (options.production) {
      throw new Error(
        `api-tokens: ${options.envName} must be set in production (a random string of at least ${MIN_SECRET_LENGTH} characters)`
      );
    }
    value = readOrCreateDevSecret(join(options.appRoot, options.devFile));
  }
  const current = toSecret(value, options.envName, options.idLabel);
  const previous = (options.previous ?? [])
    .map((entry) => entry.trim())
    .filter((entry) => entry && entry !== value)
    .map((entry) => toSecret(entry, options.previousEnvName, options.idLabel));
  return { current, all: [current, ...previous] };
};
