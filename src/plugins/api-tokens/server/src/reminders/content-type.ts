import { hiddenContentType } from '../utils/content-type';
import { REMINDER_KINDS, REMINDER_STATUSES } from './kinds';

export default hiddenContentType({
  collectionName: 'api_tokens_token_reminders',
  info: {
    singularName: 'token-reminder',
    pluralName: 'token-reminders',
    displayName: 'Token reminder',
    description: "One expiry reminder of one token's expiry, claimed here before it is mailed",
  },
  attributes: {
    // The api-token's row id.
    tokenId: { type: 'integer', required: true },
    // The expiry the reminder is about: a regenerated token (new expiry) is reminded again.
    expiresAt: { type: 'datetime', required: true },
    kind: { type: 'enumeration', enum: [...REMINDER_KINDS], required: true },
    status: { type: 'enumeration', enum: [...REMINDER_STATUSES], required: true },
    // The creator's address the mail went (or was to go) to.
    recipient: { type: 'string' },
    attempts: { type: 'integer', default: 0 },
    // A failed send is tried again from then on.
    retryAt: { type: 'datetime' },
    sentAt: { type: 'datetime' },
    response: { type: 'text' },
    // Why the send failed, or why the reminder was skipped.
    error: { type: 'text' },
  },
  // The claim: whoever inserts the row sends the mail.
  indexes: [{ name: 'api_tokens_token_reminders_uq', columns: ['token_id', 'expires_at', 'kind'], type: 'unique' }],
});
