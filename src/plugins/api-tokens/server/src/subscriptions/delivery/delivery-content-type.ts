import { hiddenContentType } from '../../utils/content-type';
import { DELIVERY_STATUSES } from '../types';

export default hiddenContentType({
  collectionName: 'api_tokens_deliveries',
  info: {
    singularName: 'delivery',
    pluralName: 'deliveries',
    displayName: 'Delivery',
    description: "One recipient's outcome in one run; a retry of the same delivery key mails only who was not reached",
  },
  attributes: {
    // The subscription's documentId.
    subscriptionId: { type: 'string', required: true },
    // The run that tried this recipient.
    runId: { type: 'string', required: true },
    // The run's RunContext.deliveryKey: equal across the retries of one occurrence.
    deliveryKey: { type: 'string', required: true },
    // Lower-cased, as recipients are de-duplicated.
    email: { type: 'string', required: true },
    channel: { type: 'string', required: true },
    status: { type: 'enumeration', enum: [...DELIVERY_STATUSES], required: true },
    // How many runs of this delivery key have tried this recipient, this one included.
    attempts: { type: 'integer', default: 1 },
    response: { type: 'text' },
    error: { type: 'text' },
  },
  indexes: [
    { name: 'api_tokens_deliveries_run_email_uq', columns: ['run_id', 'email'], type: 'unique' },
    { name: 'api_tokens_deliveries_key_idx', columns: ['delivery_key', 'email'] },
    { name: 'api_tokens_deliveries_subscription_idx', columns: ['subscription_id', 'updated_at'] },
  ],
});
