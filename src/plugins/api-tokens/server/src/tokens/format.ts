import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { BASE62_ALPHABET as ALPHABET, toBase62 } from '../utils/base62';

/**
 * Token format: `rht_<43 base62 chars: 256 random bits>_<6 base62 chars: CRC32 of the random part>`.
 * The prefix lets secret scanners find leaked tokens; the checksum rejects typos and guesses before any DB access.
 */
export const TOKEN_PREFIX = 'rht';
const BODY_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}_([0-9A-Za-z]{${BODY_LENGTH}})_([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`);

/** CRC32 in base62: a number below 2^32, so plain arithmetic (no BigInt) on every authenticated request. */
const checksum = (body: string): string => {
  let out = '';
  for (let rest = crc32(body); rest > 0; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out.padStart(CHECKSUM_LENGTH, '0');
};

export const generateToken = (): string => {
  const body = toBase62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
  return `${TOKEN_PREFIX}_${body}_${checksum(body)}`;
};

/** True when the string has the token's shape and a matching checksum. */
export const isWellFormedToken = (token: string): boolean => {
  const match = TOKEN_PATTERN.exec(token);
  return match !== null && checksum(match[1]) === match[2];
};

/** What lists show instead of the secret, e.g. `rht_…a1b2`. */
export const tokenHint = (token: string): string => `${TOKEN_PREFIX}_…${token.slice(-4)}`;
