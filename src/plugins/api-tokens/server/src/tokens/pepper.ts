import { createHash, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Pepper {
  /** A short fingerprint of the secret, stored beside each digest so peppers can be rotated. */
  id: string;
  /** The secret as an HMAC key, parsed once rather than on every request. */
  key: KeyObject;
}

export interface PepperSet {
  current: Pepper;
  /** The current pepper first, then the previous ones that still verify older tokens. */
  all: Pepper[];
}

const MIN_PEPPER_LENGTH = 32;
export const DEV_PEPPER_FILE = join('.tmp', 'api-tokens-pepper');

const toPepper = (secret: string, name: string): Pepper => {
  if (secret.length < MIN_PEPPER_LENGTH) {
    throw new Error(`api-tokens: ${name} must be at least ${MIN_PEPPER_LENGTH} characters long`);
  }
  const id = createHash('sha256').update(`api-tokens-pepper-id:${secret}`).digest('hex').slice(0, 12);
  return { id, key: createSecretKey(Buffer.from(secret, 'utf8')) };
};

const readOrCreateDevPepper = (appRoot: string): string => {
  const file = join(appRoot, DEV_PEPPER_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
};

/**
 * The configured pepper (API_TOKENS_PEPPER), required in production. Elsewhere a random pepper is generated
 * once and kept in `.tmp/`, so development tokens survive restarts.
 */
export const resolvePeppers = (options: {
  configured?: string | null;
  previous?: string[];
  production: boolean;
  appRoot: string;
}): PepperSet => {
  let secret = options.configured?.trim();
  if (!secret) {
    if (options.production) {
      throw new Error(
        'api-tokens: API_TOKENS_PEPPER must be set in production (a random string of at least 32 characters)'
      );
    }
    secret = readOrCreateDevPepper(options.appRoot);
  }
  const current = toPepper(secret, 'API_TOKENS_PEPPER');
  const previous = (options.previous ?? [])
    .map((value) => value.trim())
    .filter((value) => value && value !== secret)
    .map((value) => toPepper(value, 'API_TOKENS_PREVIOUS_PEPPERS'));
  return { current, all: [current, ...previous] };
};

export const digest = (pepper: Pepper, token: string): string =>
  createHmac('sha256', pepper.key).update(token).digest('hex');
