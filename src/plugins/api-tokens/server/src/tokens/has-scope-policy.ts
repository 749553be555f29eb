import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../config';
import { getService } from '../utils/get-service';
import type { LimitDecision } from './limiter';
import { assertTargetAllowed, RESOURCE_KINDS, RUN_RESOURCE_KINDS, type ResourceKind } from './resources';
import { TokenDenied, type AuthenticatedToken } from './service';

export const HAS_SCOPE_POLICY = 'plugin::api-tokens.has-scope';

export interface HasScopeConfig {
  /** Every scope the token must hold; `[]` accepts any valid token. */
  scopes: string[];
  /**
   * Also the scope of the kind of the run in `:runId` (404 for an unknown run, after authentication). The run is put
   * in `ctx.state.run` for the controller.
   */
  runKind?: boolean;
  /**
   * The route's target, the documentId in `params[param]`: 403 when the token is restricted to other resources of
   * `kind`. With `runKind`, the run's target is checked the same way.
   */
  target?: { kind: ResourceKind; param: string };
}

const CONFIG_KEYS = ['scopes', 'runKind', 'target'];
const SHAPE = `{ scopes: ['<area>:<verb>', …] }, or { scopes: [] } for any valid token`;

/**
 * Runs when the routes load (after every register(), so the scopes of apps and plugins are known). Strapi prefixes
 * the message with the route (`Error creating endpoint GET /sales/summary: …`) and the boot stops.
 */
const validator = (config: unknown) => {
  const invalid = (problem: string) => new Error(`${HAS_SCOPE_POLICY}: ${problem}; expected ${SHAPE}`);
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw invalid('the config is missing');
  const extra = Object.keys(config).filter((key) => !CONFIG_KEYS.includes(key));
  if (extra.length) throw invalid(`unknown config key(s) ${extra.map((key) => `"${key}"`).join(', ')}`);
  const { scopes, runKind, target } = config as Record<string, any>;
  if (scopes === undefined) throw invalid('config.scopes is missing');
  if (!Array.isArray(scopes)) throw invalid(`config.scopes must be an array, got ${JSON.stringify(scopes)}`);
  const registry = getService('scopes');
  const unknown = scopes.filter((scope) => typeof scope !== 'string' || !registry.has(scope));
  if (unknown.length) {
    const known = registry.list().map((scope) => scope.uid);
    throw new Error(
      `${HAS_SCOPE_POLICY}: config.scopes holds unregistered scope(s) ${unknown.map((s) => JSON.stringify(s)).join(', ')}; ` +
        `registered: ${known.join(', ')}`
    );
  }
  if (runKind !== undefined && typeof runKind !== 'boolean') throw invalid('config.runKind must be a boolean');
  if (
    target !== undefined &&
    (typeof target !== 'object' || !RESOURCE_KINDS.includes(target?.kind) || typeof target?.param !== 'string')
  ) {
    throw invalid(`config.target must be { kind: ${RESOURCE_KINDS.map((kind) => `'${kind}'`).join(' | ')}, param }`);
  }
};

/** Audits a refusal (sampled) and throws the answer: 429, 401 (one body for every reason) or 403 naming the scopes. */
const deny = (policyContext: any, error: TokenDenied, requiredScopes: string[], strapi: Core.Strapi): never => {
  const { request, response } = policyContext;
  getService('audit').recordSampled(
    `${error.reason}:${error.token?.id ?? request.ip}`,
    {
      action: 'token.denied',
      subjectType: 'api-token',
      subjectId: error.token?.documentId ?? null,
      actor: error.token ? `token:${error.token.documentId}` : null,
      ip: request.ip ?? null,
      details: { reason: error.reason, method: request.method, path: request.path, requiredScopes },
    },
    getConfig().deniedAuditSampleSeconds
  );
  if (error.reason === 'throttled') {
    response.set('Retry-After', String(error.retryAfterSeconds));
    throw new errors.RateLimitError('Too many failed authentications from this client', {
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  if (error.reason === 'scope') {
    const missing = requiredScopes.filter((scope) => !error.token?.scopes.includes(scope));
    // A PolicyError keeps its message; Strapi replaces other 403s with a bare "Forbidden".
    throw new errors.PolicyError(`This API token lacks the required scope(s): ${missing.join(', ')}`, {
      requiredScopes,
    });
  }
  strapi.log.debug(`api-tokens: ${request.method} ${request.path} denied (${error.reason})`);
  response.set('WWW-Authenticate', 'Bearer realm="api-tokens"');
  // Strapi answers every UnauthorizedError from a policy with the same 401 body, whatever the reason.
  throw new errors.UnauthorizedError();
};

/** The RateLimit-* headers of the token's budget, and 429 past it. */
const applyRateLimit = (response: any, limit: LimitDecision) => {
  response.set('RateLimit-Limit', String(limit.limit));
  response.set('RateLimit-Remaining', String(limit.remaining));
  if (limit.allowed) return;
  response.set('Retry-After', String(limit.retryAfterSeconds));
  throw new errors.RateLimitError(`Rate limit of ${limit.limit} requests per minute exceeded for this API token`, {
    retryAfterSeconds: limit.retryAfterSeconds,
  });
};

/**
 * `plugin::api-tokens.has-scope`: 429 for a client IP past its failed authentications, 401 for a missing, malformed,
 * unknown, revoked or expired token, or one used from outside its IP allowlist (one message), 403 for a valid token
 * without the scopes, 429 past the token's rate limit; with `runKind`, 404 for an unknown run and 403 without the
 * scope of its kind; 403 naming a target (the route's or the run's) outside the token's resources. On success the
 * token is in `ctx.state.apiToken`.
 */
const handler = async (policyContext: any, config: HasScopeConfig, { strapi }: { strapi: Core.Strapi }) => {
  const { request, state } = policyContext;
  const tokens = getService('tokens');
  let token: AuthenticatedToken;
  try {
    token = await tokens.authenticate(request.header.authorization, config.scopes, request.ip);
  } catch (error) {
    if (!(error instanceof TokenDenied)) throw error;
    return deny(policyContext, error, config.scopes, strapi);
  }
  const limit = await tokens.rateLimit(token);
  if (limit) applyRateLimit(policyContext.response, limit);
  state.apiToken = token;
  if (config.target) assertTargetAllowed(policyContext, config.target.kind, policyContext.params[config.target.param]);
  if (config.runKind) {
    const runs = getService('runs');
    const run = await runs.get(policyContext.params.runId);
    const scope = runs.scopeOf(run.kind);
    // A run of a kind no longer registered (its plugin removed) is served to nobody.
    if (scope === null) throw new errors.NotFoundError('Run not found');
    if (!token.scopes.includes(scope)) deny(policyContext, new TokenDenied('scope', token), [scope], strapi);
    const kind = RUN_RESOURCE_KINDS[run.kind];
    if (kind) assertTargetAllowed(policyContext, kind, run.targetId);
    state.run = run;
  }
  tokens.markUsed(token, request.ip ?? null);
  return true;
};

export default { validator, handler };
