/** The OAuth access token: a JWT under the embed keys, told apart from embed tokens by its `aud` and `typ`. */
export const ACCESS_AUDIENCE = 'oauth';
export const ACCESS_TYPE = 'access';
/** An access token lives an hour, or the API token's remaining life if that is shorter. */
export const MAX_ACCESS_SECONDS = 60 * 60;

/** The claims of an access token. Times are epoch seconds. */
export interface AccessClaims {
  iss: string;
  /** The documentId of the API token (the OAuth client_id). */
  sub: string;
  aud: typeof ACCESS_AUDIENCE;
  iat: number;
  exp: number;
  jti: string;
  typ: typeof ACCESS_TYPE;
  /** The API token's scopes when it was issued, space-joined; the API token's own scopes govern each request. */
  scope: string;
  /** The API token's secretVersion: regenerating the API token ends its access tokens. */
  ver: number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * True when a bearer credential has a JWT's shape (three base64url parts, the header a JSON object): a string test
 * before any work, so API tokens (`rht_…`) never pay for it.
 */
export const isJwtShaped = (value: string): boolean => {
  if (!value.startsWith('eyJ')) return false;
  const parts = value.split('.');
  return parts.length === 3 && parts.every((part) => BASE64URL.test(part));
};
