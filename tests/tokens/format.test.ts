import { generateToken, isWellFormedToken, tokenHint } from '../../src/plugins/api-tokens/server/src/tokens/format';
import {
  customExpiryProblem,
  latestExpiry,
  resolveExpiry,
  tokenStatus,
} from '../../src/plugins/api-tokens/server/src/tokens/expiry';

const DAY = 24 * 60 * 60 * 1000;

describe('token format', () => {
  it('is prefix, 256 random bits in base62 and a base62 CRC32', () => {
    const token = generateToken();
    expect(token).toMatch(/^rht_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$/);
    expect(isWellFormedToken(token)).toBe(true);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
  });

  it('rejects a changed character, a changed checksum, another prefix and other shapes', () => {
    const token = generateToken();
    const body = token.slice(4, 47);
    const flipped = body[10] === 'a' ? 'b' : 'a';
    expect(isWellFormedToken(`rht_${body.slice(0, 10)}${flipped}${body.slice(11)}${token.slice(47)}`)).toBe(false);
    expect(isWellFormedToken(`${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(isWellFormedToken(token.replace(/^rht_/, 'ghp_'))).toBe(false);
    expect(isWellFormedToken(`${token} `)).toBe(false);
    expect(isWellFormedToken('')).toBe(false);
    expect(isWellFormedToken('a'.repeat(256))).toBe(false);
  });

  it('hints with the prefix and the last four characters only', () => {
    const token = generateToken();
    expect(tokenHint(token)).toBe(`rht_…${token.slice(-4)}`);
  });
});

describe('token expiry', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);

  it('resolves the presets from now', () => {
    expect(resolveExpiry({ expiresInDays: 30 }, now).getTime()).toBe(now + 30 * DAY);
    expect(resolveExpiry({ expiresInDays: 90 }, now).getTime()).toBe(now + 90 * DAY);
  });

  it('reads a date as the end of that day (UTC) and a date-time as given', () => {
    expect(resolveExpiry({ expiresAt: '2026-12-01' }, now).toISOString()).toBe('2026-12-01T23:59:59.999Z');
    expect(resolveExpiry({ expiresAt: '2026-12-01T10:00:00+02:00' }, now).toISOString()).toBe(
      '2026-12-01T08:00:00.000Z'
    );
  });

  it('accepts up to the end of the day one year ahead, and nothing past it or in the past', () => {
    expect(customExpiryProblem('2027-11-25', now)).toBeNull();
    expect(latestExpiry(now).toISOString()).toBe('2027-11-25T23:59:59.999Z');
    expect(customExpiryProblem('2027-11-26', now)).toMatch(/at most 365 days/);
    expect(customExpiryProblem('2026-11-25T11:59:00Z', now)).toMatch(/in the future/);
    expect(customExpiryProblem('2026-02-30', now)).toMatch(/ISO 8601/);
    expect(customExpiryProblem('next week', now)).toMatch(/ISO 8601/);
    expect(customExpiryProblem('2026-12-01T10:00:00', now)).toMatch(/time zone/);
  });

  it('derives the status', () => {
    expect(tokenStatus({ expiresAt: new Date(now + 30 * DAY) }, now)).toBe('active');
    expect(tokenStatus({ expiresAt: new Date(now + 6 * DAY) }, now)).toBe('expiring-soon');
    expect(tokenStatus({ expiresAt: new Date(now - 1) }, now)).toBe('expired');
    expect(tokenStatus({ expiresAt: new Date(now + 30 * DAY), revokedAt: new Date(now) }, now)).toBe('revoked');
  });
});
