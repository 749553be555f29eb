import { hiddenContentType } from '../utils/content-type';

export const AUDIT_ACTIONS = [
  'token.created',
  'token.updated',
  'token.regenerated',
  'token.revoked',
  'token.denied',
] as const;

export default hiddenContentType({
  collectionName: 'api_tokens_audit_events',
  info: {
    singularName: 'audit-event',
    pluralName: 'audit-events',
    displayName: 'Audit event',
    description: 'What happened to API tokens and reporting jobs, and who did it',
  },
  attributes: {
    action: { type: 'enumeration', enum: [...AUDIT_ACTIONS], required: true },
    // The subject's documentId, kept as text so events outlive what they describe.
    tokenId: { type: 'string' },
    actor: { type: 'string' },
    ip: { type: 'string' },
    details: { type: 'json' },
  },
});
