import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ERROR_CODES } from '../shared/error-codes';
import type { SecretSet } from '../utils/secrets';

/** Verification accepts clocks this far apart (seconds). */
export const CLOCK_LEEWAY_SECONDS = 60;

export type JwtErrorCode = typeof ERROR_CODES.TOKEN_EXPIRED | typeof ERROR_CODES.TOKEN_INVALID;

/** Why a JWT was refused: expired, or anything else (malformed, tampered, unsigned, unknown key, wrong audience). */
export class JwtRefused extends Error {
  constructor(
    readonly code: JwtErrorCode,
    message: string
  ) {
    super(message);
  }
}

export interface VerifyOptions {
  audience: string;
  /** The `typ` claim the token must carry. */
  type: string;
  /** Epoch ms; a test clock may set it. */
  now?: number;
}

/**
 * HS256 JWTs under the plugin's own secrets: signed with the current one, its fingerprint as `kid`; verified with the
 * secret the `kid` names, so previous secrets keep verifying after a rotation. The algorithm is pinned.
 */
export const createJwtKeys = (secrets: SecretSet) => {
  // Key objects made once: given a string, jsonwebtoken tries it as a private key and then as a secret on every call.
  const byId = new Map<string, KeyObject>(
    secrets.all.map((secret) => [secret.id, createSecretKey(Buffer.from(secret.value, 'utf8'))])
  );
  const current = byId.get(secrets.current.id)!;
  return {
    sign(claims: Record<string, unknown>): string {
      return jwt.sign(claims, current, {
        algorithm: 'HS256',
        keyid: secrets.current.id,
        header: { alg: 'HS256', typ: 'JWT', kid: secrets.current.id },
      });
    },

    verify<Claims>(token: string, { audience, type, now = Date.now() }: VerifyOptions): Claims {
      const decoded = jwt.decode(token, { complete: true });
      const kid = decoded && typeof decoded.header.kid === 'string' ? decoded.header.kid : undefined;
      const secret = kid === undefined ? undefined : byId.get(kid);
      if (!secret)
        throw new JwtRefused(ERROR_CODES.TOKEN_INVALID, 'The token is malformed or signed with an unknown key');
      let claims: Record<string, unknown>;
      try {
        claims = jwt.verify(token, secret, {
          algorithms: ['HS256'],
          audience,
          clockTolerance: CLOCK_LEEWAY_SECONDS,
          clockTimestamp: Math.floor(now / 1000),
        }) as Record<string, unknown>;
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError)
          throw new JwtRefused(ERROR_CODES.TOKEN_EXPIRED, 'The token has expired');
        throw new JwtRefused(ERROR_CODES.TOKEN_INVALID, 'The token is invalid');
      }
      if (claims.typ !== type) throw new JwtRefused(ERROR_CODES.TOKEN_INVALID, 'The token is not of this kind');
      return claims as Claims;
    },
  };
};

export type JwtKeys = ReturnType<typeof createJwtKeys>;
