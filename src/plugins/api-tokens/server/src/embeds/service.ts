import { randomUUID } from 'node:crypto';
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../config';
import { DASHBOARD_UID } from '../dashboards/service';
import { REPORT_UID } from '../reports/service';
import { ERROR_CODES } from '../shared/error-codes';
import { serializeEmbed } from '../utils/embed';
import { describeError, fieldError, isUniqueViolation } from '../utils/errors';
import { getService } from '../utils/get-service';
import { resolveSecrets } from '../utils/secrets';
import { checkAuthRequest, type ResolveEmbed } from './auth-request';
import { CLOCK_LEEWAY_SECONDS, createJwtKeys, JwtRefused, type JwtErrorCode, type JwtKeys } from './jwt';
import type { EmbedClaims, EmbedIssuer, EmbedTarget, EmbedType, IssuedEmbedToken, VerifiedEmbed } from './types';

export const REVOCATION_UID = 'plugin::api-tokens.embed-revocation';
export const DEV_EMBED_SECRET_FILE = '.tmp/api-tokens-embed-secret';
/** Browsers and proxies cope with a header or form field of this size. */
export const MAX_TOKEN_BYTES = 8 * 1024;
export const EMBED_AUDIENCE = 'embed';
export const EMBED_ISSUER = 'reporting-hub';
/** The scheduler's tick purges the jti denylist at most this often per instance. */
const PURGE_EVERY_MS = 60 * 60 * 1000;
/** Bus topics: an embed's report or dashboard changed; a jti was revoked. */
const FORGET_TOPIC = 'embeds.forget';
const REVOKED_TOPIC = 'embeds.revoked';
/** Domo's clients count on `nbf` a little in the past. */
const NOT_BEFORE_SKEW_SECONDS = 10;

const TARGET_UIDS: Record<EmbedType, UID.ContentType> = { card: REPORT_UID, story: DASHBOARD_UID };

type Row = Record<string, any>;

/** A 401 whose `details.code` tells an expired token from any other refused one. */
export const tokenRefused = (code: JwtErrorCode, message: string) => new errors.UnauthorizedError(message, { code });

const embeds = ({ strapi }: { strapi: Core.Strapi }) => {
  let keys: JwtKeys | undefined;
  let lastPurgeAt = 0;
  const revocations = () => strapi.db.query(REVOCATION_UID);

  const getKeys = (): JwtKeys => {
    if (!keys) {
      const { embed } = getConfig();
      keys = createJwtKeys(
        resolveSecrets({
          configured: embed.jwtSecret,
          previous: embed.previousJwtSecrets,
          production: process.env.NODE_ENV === 'production',
          appRoot: strapi.dirs.app.root,
          envName: 'EMBED_JWT_SECRET',
          previousEnvName: 'EMBED_JWT_PREVIOUS_SECRETS',
          devFile: DEV_EMBED_SECRET_FILE,
          idLabel: 'api-tokens-embed-jwt',
        })
      );
    }
    return keys;
  };

  const targetOf = (type: EmbedType, row: Row): EmbedTarget => {
    const embed = serializeEmbed(row);
    return {
      type,
      embedId: row.embedId,
      documentId: row.documentId,
      name: row.name,
      enabled: embed.enabled,
      allowedOrigins: embed.allowedOrigins,
      revokedBefore: embed.revokedBefore ?? null,
    };
  };

  const findTargetRow = async (type: EmbedType, embedId: string): Promise<Row | null> =>
    strapi.db.query(TARGET_UIDS[type]).findOne({ where: { embedId } });

  const cacheMs = () => getConfig().tokenCacheSeconds * 1000;

  // Verification reuses an embed's row and the jti denylist for tokenCacheSeconds, as token lookups do: a change made
  // (saving the report or dashboard, "revoke all", a revoke by jti) applies at once here and, through the cluster bus,
  // on the other instances (within tokenCacheSeconds should a message be lost).
  const rows = new Map<string, { until: number; row: Row | null }>();
  const cachedTargetRow = async (type: EmbedType, embedId: string, now: number): Promise<Row | null> => {
    const key = `${type}:${embedId}`;
    const hit = rows.get(key);
    if (hit && hit.until > now) return hit.row;
    const row = await findTargetRow(type, embedId);
    if (cacheMs() > 0) {
      if (rows.size >= 10_000) rows.clear();
      rows.set(key, { until: now + cacheMs(), row });
    }
    return row;
  };
  let denylist: { until: number; jtis: Set<string> } | null = null;
  const isRevoked = async (jti: string, now: number): Promise<boolean> => {
    if (cacheMs() <= 0) return Boolean(await revocations().findOne({ where: { jti }, select: ['id'] }));
    if (!denylist || denylist.until <= now) {
      const revoked = await revocations().findMany({ where: { expiresAt: { $gt: new Date(now) } }, select: ['jti'] });
      denylist = { until: now + cacheMs(), jtis: new Set(revoked.map((entry: Row) => entry.jti)) };
    }
    return denylist.jtis.has(jti);
  };

  /** An embed's cards' columns: a card's model's, or each card's of a story (a card that cannot run is a problem). */
  const lookUp: ResolveEmbed = async (type, embedId) => {
    const row = await findTargetRow(type, embedId);
    if (!row) return null;
    const target = targetOf(type, row);
    if (!target.enabled) return { target, columns: [] };
    try {
      if (type === 'card') {
        const report = await getService('reports').prepare(row);
        return { target, columns: [report.model.columns] };
      }
      const reports = await getService('dashboards').prepareReports(row);
      return { target, columns: [...reports.values()].map((report) => report.model.columns) };
    } catch (error) {
      if (error instanceof errors.NotFoundError) throw error;
      return { problem: `"${row.name}" cannot be shown: ${describeError(error)}` };
    }
  };

  // Issuing reuses an embed's lookup for tokenCacheSeconds (a report or dashboard saved on any instance clears it at
  // once); verification always reads the embed afresh.
  const lookups = new Map<string, { until: number; value: Awaited<ReturnType<ResolveEmbed>> }>();
  const resolve: ResolveEmbed = async (type, embedId) => {
    const key = `${type}:${embedId}`;
    const now = Date.now();
    const cached = lookups.get(key);
    if (cached && cached.until > now) return cached.value;
    const value = await lookUp(type, embedId);
    const seconds = getConfig().tokenCacheSeconds;
    if (seconds > 0) {
      if (lookups.size >= 10_000) lookups.clear();
      lookups.set(key, { until: now + seconds * 1000, value });
    }
    return value;
  };

  // Changes are applied here at once and on the other instances through the cluster bus; a null message (the bus may
  // have missed some) drops everything.
  const cluster = getService('cluster');
  cluster.subscribe(FORGET_TOPIC, () => {
    lookups.clear();
    rows.clear();
  });
  cluster.subscribe<{ jti: string }>(REVOKED_TOPIC, (message) => {
    if (message) denylist?.jtis.add(message.jti);
    else denylist = null;
  });

  const sessionMinutes = (requested: number | undefined, issuer: EmbedIssuer) => {
    const max = Math.min(getConfig().embed.maxSessionMinutes, issuer.maxSessionMinutes ?? Infinity);
    return Math.min(requested ?? max, max);
  };

  return {
    getKeys,

    /** Drops the cached embed lookups (a report, dashboard or their embed settings changed). */
    forgetLookups() {
      void cluster.broadcast(FORGET_TOPIC, {});
    },

    /** The embed of a report (`card`) or dashboard (`story`) row. */
    targetOf,

    /** The embeddable report (`card`) or dashboard (`story`) with this embed id, or null. */
    async findTarget(type: EmbedType, embedId: string): Promise<EmbedTarget | null> {
      const row = await findTargetRow(type, embedId);
      return row ? targetOf(type, row) : null;
    },

    /** The row of an embed's report or dashboard, for the viewer's queries (null when there is none). */
    findTargetRow,

    /**
     * Issues an embed JWT for a checked `POST /v1/<cards|stories>/embed/auth` body (400 naming the path of every
     * problem), and audits it with the embed ids and the jti, never the JWT.
     */
    async issue(type: EmbedType, body: unknown, issuer: EmbedIssuer, now = Date.now()): Promise<IssuedEmbedToken> {
      const checked = await checkAuthRequest(body, type, resolve);
      for (const target of checked.targets) issuer.assertTarget?.(target);
      const iat = Math.floor(now / 1000);
      const exp = iat + sessionMinutes(checked.sessionLength, issuer) * 60;
      const claims: EmbedClaims = {
        iss: EMBED_ISSUER,
        sub: issuer.subject,
        aud: EMBED_AUDIENCE,
        iat,
        nbf: iat - NOT_BEFORE_SKEW_SECONDS,
        exp,
        jti: randomUUID(),
        typ: 'embed',
        emb: checked.grants,
      };
      const authentication = getKeys().sign({ ...claims });
      const bytes = Buffer.byteLength(authentication);
      if (bytes > MAX_TOKEN_BYTES) {
        throw fieldError(
          'authorizations',
          `authorizations would make a token of ${bytes} bytes, over the ${MAX_TOKEN_BYTES}-byte limit: ask for fewer authorizations or filter values`
        );
      }
      // One token may name up to 20 embeds; subjectId is one documentId (a column of 255 characters), the rest in details.
      const documentIds = [...new Set(checked.targets.map((target) => target.documentId))];
      getService('audit').recordSoon({
        action: 'embed-token.issued',
        subjectType: type,
        subjectId: documentIds.length === 1 ? documentIds[0] : null,
        actor: issuer.actor,
        ip: issuer.ip ?? null,
        details: {
          jti: claims.jti,
          documentIds,
          embedIds: checked.grants.map((grant) => grant.token),
          permissions: checked.grants.map((grant) => grant.permissions),
          expiresAt: new Date(exp * 1000).toISOString(),
        },
      });
      return { authentication, expiration: exp * 1000 };
    },

    /**
     * The embed token of a data, export or viewer request, verified for this embed: 401 `TOKEN_EXPIRED` or
     * `TOKEN_INVALID` (missing, malformed, tampered, unsigned, revoked by jti or by the embed's cutoff), 403 when it
     * does not name this embed, 404 when the embed is gone or no longer enabled.
     */
    async verify(jwt: string | null | undefined, type: EmbedType, embedId: string, now = Date.now()) {
      if (!jwt) throw tokenRefused(ERROR_CODES.TOKEN_INVALID, 'An embed token is required');
      let claims: EmbedClaims;
      try {
        claims = getKeys().verify<EmbedClaims>(jwt, { audience: EMBED_AUDIENCE, type: 'embed', now });
      } catch (error) {
        if (error instanceof JwtRefused) throw tokenRefused(error.code, error.message);
        throw error;
      }
      if (!Array.isArray(claims.emb) || typeof claims.jti !== 'string') {
        throw tokenRefused(ERROR_CODES.TOKEN_INVALID, 'The token is invalid');
      }
      const grant = claims.emb.find((entry) => entry.token === embedId && entry.type === type);
      if (!grant) throw new errors.ForbiddenError(`This embed token does not authorize the ${type} "${embedId}"`);
      const row = await cachedTargetRow(type, embedId, now);
      const target = row ? targetOf(type, row) : null;
      if (!row || !target?.enabled) throw new errors.NotFoundError(`No embedded ${type} "${embedId}"`);
      if (target.revokedBefore && claims.iat * 1000 < Date.parse(target.revokedBefore)) {
        throw tokenRefused(ERROR_CODES.TOKEN_INVALID, 'The token has been revoked');
      }
      if (await isRevoked(claims.jti, now)) throw tokenRefused(ERROR_CODES.TOKEN_INVALID, 'The token has been revoked');
      return { claims, grant, target, row } satisfies VerifiedEmbed;
    },

    /** Revokes one embed token by its jti, until no token with it can be valid; revoking twice is no error. */
    async revoke(jti: string, actor: string, ip: string | null = null, now = Date.now()) {
      const lifeMs = (getConfig().embed.maxSessionMinutes * 60 + CLOCK_LEEWAY_SECONDS) * 1000;
      try {
        await revocations().create({ data: { jti, actor, expiresAt: new Date(now + lifeMs) } });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      await cluster.broadcast(REVOKED_TOPIC, { jti });
      await getService('audit').record({ action: 'embed-token.revoked', actor, ip, details: { jti } });
      return { jti, revoked: true };
    },

    /** Refuses every token issued for this report or dashboard before now ("revoke all tokens issued before now"). */
    async revokeBefore(type: EmbedType, documentId: string, actor: string, now = Date.now()) {
      const query = strapi.db.query(TARGET_UIDS[type]);
      const row = await query.findOne({ where: { documentId } });
      if (!row) throw new errors.NotFoundError(`${type === 'card' ? 'Report' : 'Dashboard'} not found`);
      const updated = await query.update({ where: { id: row.id }, data: { embedRevokedBefore: new Date(now) } });
      await cluster.broadcast(FORGET_TOPIC, {});
      await getService('audit').record({
        action: 'embed-token.revoked-before',
        subjectType: type,
        subjectId: documentId,
        actor,
        details: { embedId: row.embedId, revokedBefore: new Date(now).toISOString() },
      });
      return targetOf(type, updated);
    },

    /** Drops denylist rows no token can need any more. */
    async purgeRevocations(now = Date.now()): Promise<number> {
      const { count } = await revocations().deleteMany({ where: { expiresAt: { $lt: new Date(now) } } });
      return count;
    },

    /** purgeRevocations(), at most once an hour per instance (the scheduler calls this every tick). */
    async purgeRevocationsIfDue(now = Date.now()): Promise<number> {
      if (now - lastPurgeAt < PURGE_EVERY_MS) return 0;
      lastPurgeAt = now;
      return this.purgeRevocations(now);
    },
  };
};

export type EmbedsService = ReturnType<typeof embeds>;
export default embeds;
