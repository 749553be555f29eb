import type { FilterInput } from '../query/types';

/** A card is a report, a story a dashboard, as Domo names them. */
export const EMBED_TYPES = ['card', 'story'] as const;
export type EmbedType = (typeof EMBED_TYPES)[number];

export const EMBED_PERMISSIONS = ['READ', 'FILTER', 'EXPORT'] as const;
export type EmbedPermission = (typeof EMBED_PERMISSIONS)[number];

/** One authorization of an embed token: which embed, what the viewer may do, and the rows it may see. */
export interface EmbedGrant {
  /** The embed id. */
  token: string;
  type: EmbedType;
  permissions: EmbedPermission[];
  /** Validated at issue time, written with the canonical operator names; ANDed into every query of the embed. */
  filters: FilterInput[];
}

/** The claims of an embed JWT. Times are epoch seconds. */
export interface EmbedClaims {
  iss: string;
  /** The documentId of the API token that issued it (an admin's playground: `admin:<id>`). */
  sub: string;
  aud: 'embed';
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  typ: 'embed';
  emb: EmbedGrant[];
}

/** The answer of `POST /v1/cards|stories/embed/auth`. */
export interface IssuedEmbedToken {
  authentication: string;
  /** Epoch ms. */
  expiration: number;
}

/** Who asks for an embed token: an API token (the public route) or an admin (the playground). */
export interface EmbedIssuer {
  /** The documentId of the API token, or `admin:<id>`: the JWT's `sub` and the audit's actor. */
  subject: string;
  actor: string;
  ip?: string | null;
  /** Caps the session below `embed.maxSessionMinutes` (the playground's 15 minutes). */
  maxSessionMinutes?: number;
  /** Throws (a 403) for a target the issuer may not embed, once the request is otherwise sound. */
  assertTarget?: (target: EmbedTarget) => void;
}

/** An embeddable report or dashboard, found by its embed id. */
export interface EmbedTarget {
  type: EmbedType;
  embedId: string;
  documentId: string;
  name: string;
  enabled: boolean;
  allowedOrigins: string[];
  /** Tokens issued before this instant (ISO) are refused; null when never set. */
  revokedBefore: string | null;
}

/** A verified token for one embed: its claims and its grant for that embed. */
export interface VerifiedEmbed {
  claims: EmbedClaims;
  grant: EmbedGrant;
  target: EmbedTarget;
  /** The report's or dashboard's row, as verification read it. */
  row: Record<string, any>;
}
