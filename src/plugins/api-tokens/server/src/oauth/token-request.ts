/** An OAuth token-endpoint error (RFC 6749 §5.2): answered as `{error, error_description}` with `status`. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 429,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'temporarily_unavailable',
    readonly description: string,
    readonly retryAfterSeconds?: number
  ) {
    super(description);
  }
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

const GRANT_TYPE = 'client_credentials';

/** One value of a form or query field; a repeated field (`?a=1&a=2`) is an invalid request. */
const single = (params: Record<string, unknown>, name: string): string | undefined => {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new OAuthError(400, 'invalid_request', `${name} must be given once, as a string`);
  return value;
};

/** `Authorization: Basic base64(client_id:client_secret)`, each part form-urlencoded (RFC 6749 §2.3.1). */
const basicCredentials = (header: string | undefined): ClientCredentials | null => {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError(401, 'invalid_client', 'The Basic credentials must be client_id:client_secret');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return part;
    }
  };
  return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
};

/**
 * The client credentials of a `GET` or `POST /oauth/token` (`grant_type=client_credentials`): HTTP Basic, or
 * `client_id` and `client_secret` as form or query fields. `scope` is accepted and ignored: the API token's own
 * scopes govern. Throws OAuthError.
 */
export const readTokenRequest = (authorization: string | undefined, params: Record<string, unknown>) => {
  const grantType = single(params, 'grant_type');
  if (grantType === undefined) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
  if (grantType !== GRANT_TYPE) {
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type must be ${GRANT_TYPE}`);
  }
  const basic = basicCredentials(authorization);
  const clientId = single(params, 'client_id');
  const clientSecret = single(params, 'client_secret');
  if (basic && (clientId !== undefined || clientSecret !== undefined)) {
    throw new OAuthError(
      400,
      'invalid_request',
      'Authenticate the client one way: HTTP Basic or client_id/client_secret'
    );
  }
  if (basic) return basic;
  if (clientId === undefined || clientSecret === undefined) {
    throw new OAuthError(
      401,
      'invalid_client',
      'Client authentication is required: HTTP Basic client_id:client_secret (the API token documentId and the API token)'
    );
  }
  return { clientId, clientSecret } satisfies ClientCredentials;
};

/**
 * The query string with `client_secret`'s value replaced, or null when it holds none. RFC 6749 keeps credentials out
 * of URLs, but clients put them there; the request log must not keep them.
 */
export const redactedQuerystring = (querystring: string): string | null => {
  const search = new URLSearchParams(querystring);
  if (!search.has('client_secret')) return null;
  search.set('client_secret', 'REDACTED');
  return search.toString();
};
