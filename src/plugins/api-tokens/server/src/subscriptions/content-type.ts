import { MISSED_RUN_POLICIES } from '../jobs/types';
import { hiddenContentType } from '../utils/content-type';
import { nameKeyAttribute } from '../utils/unique-name';
import { SUBSCRIPTION_FORMATS } from './types';

export default hiddenContentType({
  collectionName: 'api_tokens_subscriptions',
  info: {
    singularName: 'subscription',
    pluralName: 'subscriptions',
    displayName: 'Subscription',
    description: 'Delivers a report or a dashboard to its recipients on a schedule, or when it is triggered',
  },
  attributes: {
    name: { type: 'string', required: true, maxLength: 100 },
    // The name's case-insensitive form; its unique index keeps names unique.
    nameKey: nameKeyAttribute(),
    targetType: { type: 'enumeration', enum: ['report', 'dashboard'], required: true },
    // The report's or dashboard's documentId.
    targetId: { type: 'string', required: true },
    // Recipient[]: {email, inputs?}
    recipients: { type: 'json', required: true },
    format: { type: 'enumeration', enum: [...SUBSCRIPTION_FORMATS], required: true },
    channel: { type: 'string', required: true, default: 'email' },
    // Input values for the target's data inputs: {name: value | values}
    inputs: { type: 'json' },
    // {cron, timezone}, or null for a subscription that only runs when triggered.
    schedule: { type: 'json' },
    enabled: { type: 'boolean', default: true },
    maxAttempts: { type: 'integer' },
    missedRunPolicy: { type: 'enumeration', enum: [...MISSED_RUN_POLICIES] },
    skipIfEmpty: { type: 'boolean', default: false },
    subject: { type: 'string' },
    message: { type: 'text' },
    // Set when the scheduler stopped it after too many consecutive failures; cleared by an update.
    scheduleDisabledReason: { type: 'text' },
  },
  // The subscriptions of a report or dashboard (its delete asks).
  indexes: [{ name: 'api_tokens_subscriptions_target_idx', columns: ['target_type', 'target_id'] }],
});
