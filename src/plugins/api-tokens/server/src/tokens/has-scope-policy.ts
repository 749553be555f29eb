import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig } from '../config';
import { getService } from '../utils/get-service';
import { TokenDenied } from './service';

export interface HasScopeConfig {
  /** Every scope the token must hold. An empty list accepts any valid token. */
  scopes?: string[];
}

/**
 * `plugin::api-tokens.has-scope`: 401 for a missing, malformed, unknown, revoked or expired token (one message),
 * 403 for a valid token without the scopes, 429 past the token's rate limit. On success the token is in `ctx.state.apiToken`.
 */
const hasScope = async (
  policyContext: any,
  config: HasScopeConfig | undefined,
  { strapi }: { strapi: Core.Strapi }
) => {
  const { request, response, state } = policyContext;
  const scopes = config?.scopes ?? [];
  const tokens = getService('tokens');
  try {
    const token = await tokens.authenticate(request.header.authorization, scopes);
    const limit = tokens.rateLimit(token);
    if (limit) {
      response.set('RateLimit-Limit', String(limit.limit));
      response.set('RateLimit-Remaining', String(limit.remaining));
      if (!limit.allowed) {
        response.set('Retry-After', String(limit.retryAfterSeconds));
        throw new errors.RateLimitError(
          `Rate limit of ${limit.limit} requests per minute exceeded for this API token`,
          {
            retryAfterSeconds: limit.retryAfterSeconds,
          }
        );
      }
    }
    state.apiToken = token;
    tokens.markUsed(token, request.ip ?? null);
    return true;
  } catch (error) {
    if (!(error instanceof TokenDenied)) throw error;
    getService('audit').recordSampled(
      `${error.reason}:${error.token?.id ?? request.ip}`,
      {
        action: 'token.denied',
        subjectType: 'api-token',
        subjectId: error.token?.documentId ?? null,
        actor: error.token ? `token:${error.token.documentId}` : null,
        ip: request.ip ?? null,
        details: { reason: error.reason, method: request.method, path: request.path, requiredScopes: scopes },
      },
      getConfig().deniedAuditSampleSeconds
    );
    if (error.reason === 'scope') {
      const missing = scopes.filter((scope) => !error.token?.scopes.includes(scope));
      // A PolicyError keeps its message; Strapi replaces other 403s with a bare "Forbidden".
      throw new errors.PolicyError(`This API token lacks the required scope(s): ${missing.join(', ')}`, {
        requiredScopes: scopes,
      });
    }
    strapi.log.debug(`api-tokens: ${request.method} ${request.path} denied (${error.reason})`);
    response.set('WWW-Authenticate', 'Bearer realm="api-tokens"');
    // Strapi answers every UnauthorizedError from a policy with the same 401 body, whatever the reason.
    throw new errors.UnauthorizedError();
  }
};

export default hasScope;
