import { randomUUID } from 'node:crypto';
import { getConfig } from '../config';
import { EMBED_ISSUER } from '../embeds/service';
import { TokenDenied } from '../tokens/service';
import { getService } from '../utils/get-service';
import { ACCESS_AUDIENCE, ACCESS_TYPE, MAX_ACCESS_SECONDS, type AccessClaims } from './access-token';
import { OAuthError, type ClientCredentials } from './token-request';

/** The answer of `/oauth/token`, as Domo's clients read it. */
export interface AccessTokenResponse {
  access_token: string;
  token_type: 'bearer';
  /** Seconds. */
  expires_in: number;
  /** The API token's scopes, space-joined. */
  scope: string;
  /** The API token's documentId: the identity the access token acts as. */
  userId: string;
}

/** OAuth 2.0 client credentials for apps written against Domo: an API token trades itself for a short-lived JWT. */
const oauth = () => ({
  /**
   * An access token for the API token `clientSecret` whose documentId is `clientId`: an hour, or the API token's
   * remaining life. A bad client is a 401 `invalid_client` and counts against the client IP's failed authentications.
   */
  async grant(credentials: ClientCredentials, ip: string, now = Date.now()): Promise<AccessTokenResponse> {
    const tokens = getService('tokens');
    let client;
    try {
      client = await tokens.authenticateClient(credentials.clientId, credentials.clientSecret, ip, now);
    } catch (error) {
      if (!(error instanceof TokenDenied)) throw error;
      getService('audit').recordSampled(
        `oauth:${error.reason}:${error.token?.id ?? ip}`,
        {
          action: 'oauth.denied',
          subjectType: 'api-token',
          subjectId: error.token?.documentId ?? null,
          actor: error.token ? `token:${error.token.documentId}` : null,
          ip,
          details: { reason: error.reason },
        },
        getConfig().deniedAuditSampleSeconds
      );
      if (error.reason === 'throttled') {
        throw new OAuthError(
          429,
          'temporarily_unavailable',
          'Too many failed authentications from this client',
          error.retryAfterSeconds
        );
      }
      throw new OAuthError(
        401,
        'invalid_client',
        'Unknown client, wrong client_secret, or a revoked or expired API token'
      );
    }
    const { token, secretVersion } = client;
    const iat = Math.floor(now / 1000);
    const exp = Math.min(iat + MAX_ACCESS_SECONDS, Math.floor(Date.parse(token.expiresAt) / 1000));
    const scope = token.scopes.join(' ');
    const claims: AccessClaims = {
      iss: EMBED_ISSUER,
      sub: token.documentId,
      aud: ACCESS_AUDIENCE,
      iat,
      exp,
      jti: randomUUID(),
      typ: ACCESS_TYPE,
      scope,
      ver: secretVersion,
    };
    const accessToken = getService('embeds')
      .getKeys()
      .sign({ ...claims });
    tokens.markUsed(token, ip, now);
    await getService('audit').record({
      action: 'oauth.token-issued',
      subjectType: 'api-token',
      subjectId: token.documentId,
      actor: `token:${token.documentId}`,
      ip,
      details: { jti: claims.jti, expiresAt: new Date(exp * 1000).toISOString() },
    });
    return { access_token: accessToken, token_type: 'bearer', expires_in: exp - iat, scope, userId: token.documentId };
  },

  /** The claims of an access token; throws JwtRefused (expired, or anything else wrong with it). */
  verify(jwt: string, now = Date.now()): AccessClaims {
    return getService('embeds')
      .getKeys()
      .verify<AccessClaims>(jwt, { audience: ACCESS_AUDIENCE, type: ACCESS_TYPE, now });
  },
});

export type OAuthService = ReturnType<typeof oauth>;
export default oauth;
