import { hiddenContentType } from '../utils/content-type';

export default hiddenContentType({
  collectionName: 'api_tokens_audit_events',
  info: {
    singularName: 'audit-event',
    pluralName: 'audit-events',
    displayName: 'Audit event',
    description: 'What happened to API tokens, semantic models, runs and other reporting objects, and who did it',
  },
  attributes: {
    // `<subject>.<verb>`, e.g. `token.created`; capabilities write their own, so it is not an enumeration.
    action: { type: 'string', required: true },
    // What the event is about, e.g. `api-token` and its documentId, kept as text so events outlive their subject.
    subjectType: { type: 'string' },
    subjectId: { type: 'string' },
    // `admin:<id>` or `token:<documentId>`.
    actor: { type: 'string' },
    ip: { type: 'string' },
    details: { type: 'json' },
  },
  indexes: [
    { name: 'api_tokens_audit_subject_idx', columns: ['subject_type', 'subject_id'] },
    { name: 'api_tokens_audit_created_idx', columns: ['created_at'] },
  ],
});
