import { hiddenContentType } from '../utils/content-type';

/** The jti denylist: an embed token revoked by its id. A row outlives the longest session, then is purged. */
export default hiddenContentType({
  collectionName: 'api_tokens_embed_revocations',
  info: {
    singularName: 'embed-revocation',
    pluralName: 'embed-revocations',
    displayName: 'Embed token revocation',
    description: 'Embed tokens revoked by their jti',
  },
  attributes: {
    jti: { type: 'string', required: true, column: { unique: true } },
    // When no token with this jti can still be valid: the row may be purged.
    expiresAt: { type: 'datetime', required: true },
    actor: { type: 'string' },
  },
});
