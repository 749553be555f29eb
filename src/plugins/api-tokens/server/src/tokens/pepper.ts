import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { resolveSecrets } from '../utils/secrets';

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

export const DEV_PEPPER_FILE = join('.tmp', 'api-tokens-pepper');

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
  const secrets = resolveSecrets({
    ...options,
    envName: 'API_TOKENS_PEPPER',
    previousEnvName: 'API_TOKENS_PREVIOUS_PEPPERS',
    devFile: DEV_PEPPER_FILE,
    idLabel: 'api-tokens-pepper',
  });
  const all = secrets.all.map(({ id, value }) => ({ id, key: createSecretKey(Buffer.from(value, 'utf8')) }));
  return { current: all[0], all };
};

export const digest = (pepper: Pepper, token: string): string =>
  createHmac('sha256', pepper.key).update(token).digest('hex');
