import { hash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../config';
import { JwtRefused } from '../embeds/jwt';
import { isJwtShaped } from '../oauth/access-token';
import { ERROR_CODES } from '../shared/error-codes';
import { getService } from '../utils/get-service';
import { uniqueNames } from '../utils/unique-name';
import { resolveExpiry, tokenStatus, type ExpiryInput } from './expiry';
import { generateToken, isWellFormedToken, tokenHint } from './format';
import { digest, resolvePeppers, type PepperSet } from './pepper';
import { createLimiter, type LimitDecision } from './limiter';
import { ipInRanges, normalizeAllowlist, parseAllowlist, type IpRange } from './ip-allowlist';
import { assertResourcesExist, normalizeResources, type TokenResources } from './resources';

export const TOKEN_UID = 'plugin::api-tokens.api-token';
const FORGET_TOPIC = 'tokens.forget';

const PUBLIC_FIELDS = [
  'id',
  'documentId',
  'name',
  'description',
  'scopes',
  'resources',
  'allowedIps',
  'hint',
  'expiresAt',
  'lastUsedAt',
  'lastUsedIp',
  'revokedAt',
  'createdAt',
  'updatedAt',
];
const AUTH_FIELDS = [
  'id',
  'documentId',
  'name',
  'scopes',
  'resources',
  'allowedIps',
  'expiresAt',
  'revokedAt',
  'pepperId',
  'secretVersion',
];
const CREATOR = { createdBy: { select: ['id', 'firstname', 'lastname'] } };

export interface Actor {
  type: 'admin' | 'token';
  id: string | number;
  ip?: string;
}

export interface AuthenticatedToken {
  id: number;
  documentId: string;
  name: string;
  scopes: string[];
  /** The targets it may act on; null: any (see resources.ts). */
  resources: TokenResources | null;
  expiresAt: string;
}

export type DenialReason =
  | 'throttled'
  | 'missing'
  | 'malformed'
  | 'unknown'
  | 'revoked'
  | 'expired'
  | 'ip-not-allowed'
  | 'scope';

/**
 * Why a request's token was refused. `token` is set once the token is known (revoked, expired, scope);
 * `retryAfterSeconds` for `throttled`, a client IP past its failed-authentication budget.
 */
export class TokenDenied extends Error {
  constructor(
    readonly reason: DenialReason,
    readonly token?: AuthenticatedToken,
    readonly retryAfterSeconds?: number
  ) {
    super(`API token denied: ${reason}`);
  }
}

export interface CreateTokenInput extends ExpiryInput {
  name: string;
  description?: string | null;
  scopes: string[];
  resources?: TokenResources | null;
  allowedIps?: string[] | null;
}

export interface UpdateTokenInput {
  name?: string;
  description?: string | null;
  resources?: TokenResources | null;
  allowedIps?: string[] | null;
}

type Row = Record<string, any>;

/** What authentication needs of a token's row, reused for tokenCacheSeconds. */
interface Lookup {
  token: AuthenticatedToken;
  expiresAtMs: number;
  revoked: boolean;
  /** How many times the secret was regenerated: an OAuth access token of an earlier secret is refused. */
  secretVersion: number;
  /** The client addresses it may be used from; null: any. */
  allowedIps: IpRange[] | null;
  /** Until when (ms) the lookup may be reused. */
  until: number;
}

const serialize = (row: Row, now = Date.now()) => {
  const out: Row = {};
  for (const field of PUBLIC_FIELDS) out[field] = row[field] ?? null;
  out.status = tokenStatus(row, now);
  out.createdBy = row.createdBy
    ? { id: row.createdBy.id, firstname: row.createdBy.firstname, lastname: row.createdBy.lastname }
    : null;
  return out;
};

export type SerializedToken = ReturnType<typeof serialize>;

const actorLabel = (actor: Actor) => `${actor.type}:${actor.id}`;

/** The bearer credential of an `Authorization` header, or null when there is none of that shape. */
export const bearerToken = (header: string | undefined): string | null => {
  if (!header) return null;
  const parts = header.trim().split(/\s+/);
  return parts.length === 2 && parts[0].toLowerCase() === 'bearer' ? parts[1] : null;
};

/**
 * The lookup cache's key: SHA-256 of the secret, so the cache holds no secret. A one-shot hash costs a fraction of
 * the HMAC, which only a cache miss computes.
 */
const cacheKey = (secret: string) => hash('sha256', secret, 'base64url');

const tokens = ({ strapi }: { strapi: Core.Strapi }) => {
  let peppers: PepperSet | undefined;
  const lastTouched = new Map<number, number>();
  const pendingWrites = new Set<Promise<unknown>>();
  const query = () => strapi.db.query(TOKEN_UID);
  const names = uniqueNames(strapi, TOKEN_UID, 'An API token');
  const { rateLimit, tokenCacheSeconds, lastUsedIntervalSeconds } = getConfig();
  // cacheKey(secret) → a lookup, reused for tokenCacheSeconds; expiry, revocation and scopes are still checked.
  const lookups = new Map<string, Lookup>();
  // A changed token's lookups are dropped here at once and on the other instances through the cluster bus (a null
  // message: the bus may have missed some, drop them all).
  const cluster = getService('cluster');
  // Bumped by every forget: a lookup whose database read started before one is not cached (it may hold the old row).
  let generation = 0;
  cluster.subscribe<{ id: number }>(FORGET_TOPIC, (message) => {
    generation += 1;
    if (!message) return lookups.clear();
    for (const [key, entry] of lookups) if (entry.token.id === message.id) lookups.delete(key);
  });
  const forget = (id: number) => void cluster.broadcast(FORGET_TOPIC, { id });
  const perToken = rateLimit.requestsPerMinute > 0 ? createLimiter('token', rateLimit.requestsPerMinute, 60) : null;
  const { limit: failedAuthLimit, windowSeconds } = rateLimit.failedAuth;
  const failedAuth = failedAuthLimit > 0 ? createLimiter('failed-auth', failedAuthLimit, windowSeconds) : null;

  const getPeppers = (): PepperSet => {
    if (!peppers) {
      const config = getConfig();
      peppers = resolvePeppers({
        configured: config.tokenPepper,
        previous: config.previousTokenPeppers,
        production: process.env.NODE_ENV === 'production',
        appRoot: strapi.dirs.app.root,
      });
    }
    return peppers;
  };

  const newSecret = () => {
    const secret = generateToken();
    const pepper = getPeppers().current;
    return { secret, fields: { digest: digest(pepper, secret), pepperId: pepper.id, hint: tokenHint(secret) } };
  };

  const findRow = async (documentId: string): Promise<Row> => {
    const row = await query().findOne({ where: { documentId }, populate: CREATOR });
    if (!row) throw new errors.NotFoundError('API token not found');
    return row;
  };

  const audit =
    (action: `token.${string}`) =>
    (row: Row, actor: Actor, details: Record<string, unknown> = {}) =>
      getService('audit').record({
        action,
        subjectType: 'api-token',
        subjectId: row.documentId,
        actor: actorLabel(actor),
        ip: actor.ip ?? null,
        details: { name: row.name, ...details },
      });

  const toLookup = (row: Row, now: number): Lookup => {
    const expiresAt = new Date(row.expiresAt);
    return {
      token: {
        id: row.id,
        documentId: row.documentId,
        name: row.name,
        scopes: row.scopes ?? [],
        resources: normalizeResources(row.resources),
        expiresAt: expiresAt.toISOString(),
      },
      expiresAtMs: expiresAt.getTime(),
      revoked: Boolean(row.revokedAt),
      secretVersion: row.secretVersion ?? 0,
      allowedIps: parseAllowlist(row.allowedIps),
      until: now + tokenCacheSeconds * 1000,
    };
  };

  const remember = (key: string, entry: Lookup, readAt: number): Lookup => {
    if (tokenCacheSeconds > 0 && readAt === generation) {
      if (lookups.size >= 10_000) lookups.clear();
      lookups.set(key, entry);
    }
    return entry;
  };

  /** The token of a well-formed secret from the database (unknown: TokenDenied); re-keys a previous pepper's digest. */
  const lookUp = async (secret: string, key: string, now: number): Promise<Lookup> => {
    const { current, all } = getPeppers();
    const digests = all.map((pepper) => digest(pepper, secret));
    const readAt = generation;
    const row = await query().findOne({
      where: digests.length === 1 ? { digest: digests[0] } : { digest: { $in: digests } },
      select: AUTH_FIELDS,
    });
    if (!row) throw new TokenDenied('unknown');
    if (row.pepperId !== current.id) {
      background(query().update({ where: { id: row.id }, data: { digest: digests[0], pepperId: current.id } }));
    }
    return remember(key, toLookup(row, now), readAt);
  };

  /**
   * The API token behind an OAuth access token: the JWT verified, then the token by its documentId. The lookup ends
   * at the JWT's expiry, and is forgotten with the token's (a revoke kills the access token too).
   */
  const lookUpAccessToken = async (jwt: string, key: string, now: number): Promise<Lookup> => {
    let claims;
    try {
      claims = getService('oauth').verify(jwt, now);
    } catch (error) {
      if (!(error instanceof JwtRefused)) throw error;
      throw new TokenDenied(error.code === ERROR_CODES.TOKEN_EXPIRED ? 'expired' : 'malformed');
    }
    const readAt = generation;
    const row = await query().findOne({ where: { documentId: claims.sub }, select: AUTH_FIELDS });
    if (!row) throw new TokenDenied('unknown');
    const entry = toLookup(row, now);
    // Issued for a secret since regenerated: as dead as the secret.
    if (claims.ver !== entry.secretVersion) throw new TokenDenied('revoked', entry.token);
    return remember(key, { ...entry, expiresAtMs: Math.min(entry.expiresAtMs, claims.exp * 1000) }, readAt);
  };

  /**
   * A lookup of the cache still valid at `now`. Only well-formed tokens and verified JWTs are cached, so a hit needs no
   * checksum, HMAC or signature check, and no await.
   */
  const cached = (key: string, now: number): Lookup | undefined => {
    const entry = lookups.get(key);
    return entry !== undefined && entry.until > now ? entry : undefined;
  };

  /** The lookup of a bearer credential the cache misses: an API token, or an OAuth access token (told by its shape). */
  const lookUpMiss = async (secret: string, key: string, now: number): Promise<Lookup> => {
    if (isWellFormedToken(secret)) return lookUp(secret, key, now);
    if (isJwtShaped(secret)) return lookUpAccessToken(secret, key, now);
    throw new TokenDenied('malformed');
  };

  /** Refused when revoked, expired, or used from outside its allowlist. */
  const usable = (entry: Lookup, ip: string, now: number): AuthenticatedToken => {
    if (entry.revoked) throw new TokenDenied('revoked', entry.token);
    if (entry.expiresAtMs <= now) throw new TokenDenied('expired', entry.token);
    if (entry.allowedIps && !ipInRanges(entry.allowedIps, ip)) throw new TokenDenied('ip-not-allowed', entry.token);
    return entry.token;
  };

  /**
   * Runs an authentication within the client IP's budget of failed authentications: `throttled` past it, before any
   * database access; every TokenDenied but missing scopes counts against the IP.
   */
  const guarded = async <T>(ip: string, attempt: () => Promise<T>): Promise<T> => {
    if (failedAuth) {
      const client = await failedAuth.peek(ip);
      if (!client.allowed) throw new TokenDenied('throttled', undefined, client.retryAfterSeconds);
    }
    try {
      return await attempt();
    } catch (error) {
      if (failedAuth && error instanceof TokenDenied && error.reason !== 'scope') await failedAuth.penalize(ip);
      throw error;
    }
  };

  const background = (write: Promise<unknown>) => {
    const tracked = write
      .catch((error) => strapi.log.warn(`api-tokens: background write failed: ${error}`))
      .finally(() => pendingWrites.delete(tracked));
    pendingWrites.add(tracked);
  };

  /** Writes lastUsedAt/lastUsedIp unless another request did so within the interval. True if this call wrote. */
  const touchLastUsed = async (id: number, ip: string | null, now = Date.now()): Promise<boolean> => {
    const cutoff = new Date(now - lastUsedIntervalSeconds * 1000);
    const { count } = await query().updateMany({
      where: { id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: cutoff } }] },
      data: { lastUsedAt: new Date(now), lastUsedIp: ip },
    });
    return count > 0;
  };

  return {
    getPeppers,
    serialize,

    async list(): Promise<SerializedToken[]> {
      const rows = await query().findMany({ populate: CREATOR, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      const now = Date.now();
      return rows.map((row) => serialize(row, now));
    },

    async findOne(documentId: string): Promise<SerializedToken> {
      return serialize(await findRow(documentId));
    },

    async create(input: CreateTokenInput, actor: Actor): Promise<SerializedToken & { accessKey: string }> {
      const resources = normalizeResources(input.resources);
      await assertResourcesExist(strapi, resources);
      const { secret, fields } = newSecret();
      const expiresAt = resolveExpiry(input, Date.now());
      const row = await names.create(
        {
          name: input.name,
          description: input.description ?? null,
          scopes: [...new Set(input.scopes)],
          resources,
          allowedIps: normalizeAllowlist(input.allowedIps),
          expiresAt,
          ...fields,
          createdBy: actor.type === 'admin' ? actor.id : null,
        },
        { populate: CREATOR }
      );
      await audit('token.created')(row, actor, {
        scopes: row.scopes,
        expiresAt: expiresAt.toISOString(),
        ...(row.resources ? { resources: row.resources } : {}),
        ...(row.allowedIps ? { allowedIps: row.allowedIps } : {}),
      });
      return { ...serialize(row), accessKey: secret };
    },

    async update(documentId: string, input: UpdateTokenInput, actor: Actor) {
      const row = await findRow(documentId);
      const data: Row = { ...input };
      if (input.resources !== undefined) {
        data.resources = normalizeResources(input.resources);
        await assertResourcesExist(strapi, data.resources);
      }
      if (input.allowedIps !== undefined) data.allowedIps = normalizeAllowlist(input.allowedIps);
      const updated = await names.update(row, data, { populate: CREATOR });
      forget(row.id);
      const restrictions = Object.fromEntries(
        (['resources', 'allowedIps'] as const).filter((key) => key in data).map((key) => [key, updated[key]])
      );
      await audit('token.updated')(updated, actor, { changed: Object.keys(input), ...restrictions });
      return serialize(updated);
    },

    async regenerate(documentId: string, expiry: ExpiryInput, actor: Actor) {
      const row = await findRow(documentId);
      if (row.revokedAt) throw new errors.ApplicationError('A revoked API token cannot be regenerated');
      const { secret, fields } = newSecret();
      const expiresAt = resolveExpiry(expiry, Date.now());
      const updated = await query().update({
        where: { id: row.id },
        data: { ...fields, expiresAt, secretVersion: (row.secretVersion ?? 0) + 1 },
        populate: CREATOR,
      });
      lastTouched.delete(row.id);
      forget(row.id);
      await audit('token.regenerated')(updated, actor, { expiresAt: expiresAt.toISOString() });
      return { ...serialize(updated), accessKey: secret };
    },

    async revoke(documentId: string, actor: Actor) {
      const row = await findRow(documentId);
      if (row.revokedAt) return serialize(row);
      const updated = await query().update({
        where: { id: row.id },
        data: { revokedAt: new Date() },
        populate: CREATOR,
      });
      forget(row.id);
      await audit('token.revoked')(updated, actor);
      return serialize(updated);
    },

    /**
     * Checks a request's `Authorization` header: an API token, or an OAuth access token issued for one. First the
     * client IP's budget of failed authentications (`throttled` past it, whatever the header holds, before any database
     * access), then the token's shape and checksum (no database access), the digest lookup, revocation, expiry and
     * finally the scopes. Throws TokenDenied; every failure but missing scopes counts against the IP.
     */
    async authenticate(
      authorization: string | undefined,
      requiredScopes: string[],
      ip: string,
      now = Date.now()
    ): Promise<AuthenticatedToken> {
      return guarded(ip, async () => {
        const secret = bearerToken(authorization);
        if (!secret) throw new TokenDenied('missing');
        const key = cacheKey(secret);
        const token = usable(cached(key, now) ?? (await lookUpMiss(secret, key, now)), ip, now);
        for (const scope of requiredScopes) if (!token.scopes.includes(scope)) throw new TokenDenied('scope', token);
        return token;
      });
    },

    /**
     * An OAuth client: the API token `secret` (never an access token), whose documentId must be `clientId`, neither
     * revoked nor expired, and its secret's version (for the access token to carry). Throws TokenDenied, counted
     * against the IP as `authenticate` does.
     */
    async authenticateClient(
      clientId: string,
      secret: string,
      ip: string,
      now = Date.now()
    ): Promise<{ token: AuthenticatedToken; secretVersion: number }> {
      return guarded(ip, async () => {
        if (!isWellFormedToken(secret)) throw new TokenDenied('malformed');
        const key = cacheKey(secret);
        const entry = cached(key, now) ?? (await lookUp(secret, key, now));
        if (entry.token.documentId !== clientId) throw new TokenDenied('unknown');
        return { token: usable(entry, ip, now), secretVersion: entry.secretVersion };
      });
    },

    touchLastUsed,

    /** Takes one request from the token's budget of the minute; null when the per-token limit is off. */
    rateLimit(token: AuthenticatedToken): Promise<LimitDecision> | null {
      return perToken ? perToken.consume(String(token.id)) : null;
    },

    /** Records use of a token off the request path, at most once per interval per token and instance. */
    markUsed(token: AuthenticatedToken, ip: string | null, now = Date.now()) {
      const last = lastTouched.get(token.id);
      if (last !== undefined && now - last < lastUsedIntervalSeconds * 1000) return;
      lastTouched.set(token.id, now);
      if (lastTouched.size > 10_000) lastTouched.clear();
      background(touchLastUsed(token.id, ip, now));
    },

    background,

    /** Waits for the background writes (used by destroy() and tests). */
    async flush() {
      await Promise.all([...pendingWrites]);
    },
  };
};

export type TokensService = ReturnType<typeof tokens>;
export default tokens;
