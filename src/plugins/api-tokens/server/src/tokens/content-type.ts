import { hiddenContentType } from '../utils/content-type';
import { nameKeyAttribute } from '../utils/unique-name';
export default hiddenContentType({
  collectionName: 'api_tokens_tokens',
  info: {
    singularName: 'api-token',
    pluralName: 'api-tokens',
    displayName: 'API token',
    description: 'Scoped tokens for external apps; only a keyed hash of each secret is stored',
  },
  attributes: {
    name: { type: 'string', required: true, maxLength: 100 },
    // The name's case-insensitive form; its unique index keeps names unique.
    nameKey: nameKeyAttribute(),
    description: { type: 'text', maxLength: 500 },
    scopes: { type: 'json', required: true },
    // {models?, subscriptions?, embeds?: [documentId]}; null (or a kind left out): unrestricted.
    resources: { type: 'json' },
    // CIDR ranges the requests must come from; null: any address.
    allowedIps: { type: 'json' },
    expiresAt: { type: 'datetime', required: true },
    // HMAC-SHA256(pepper, token), hex. Never the token itself.
    digest: { type: 'string', required: true, private: true, column: { unique: true } },
    pepperId: { type: 'string', required: true, private: true },
    hint: { type: 'string', required: true },
    // Counts regenerations (null before the first): OAuth access tokens carry it, so a new secret ends the old ones.
    secretVersion: { type: 'integer', private: true },
    lastUsedAt: { type: 'datetime' },
    lastUsedIp: { type: 'string' },
    revokedAt: { type: 'datetime' },
  },
  // Expiry reminders look up the tokens expiring soon.
  indexes: [{ name: 'api_tokens_tokens_expires_at_idx', columns: ['expires_at'] }],
});
