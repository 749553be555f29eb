import { defineActions } from '../utils/actions';

/** `plugin::api-tokens.subscriptions.<verb>` */
export const SUBSCRIPTION_ACTIONS = defineActions('Subscriptions', [
  { uid: 'subscriptions.read', displayName: 'Read subscriptions and their deliveries' },
  { uid: 'subscriptions.create', displayName: 'Create subscriptions' },
  { uid: 'subscriptions.update', displayName: 'Update subscriptions' },
  { uid: 'subscriptions.delete', displayName: 'Delete subscriptions' },
  { uid: 'subscriptions.send', displayName: 'Send subscriptions now' },
]);
