import { defineActions } from '../utils/actions';

/** `plugin::api-tokens.tokens.<verb>` */
export const TOKEN_ACTIONS = defineActions('API tokens', [
  { uid: 'tokens.read', displayName: 'Read API tokens' },
  { uid: 'tokens.create', displayName: 'Create API tokens' },
  { uid: 'tokens.update', displayName: 'Rename API tokens' },
  { uid: 'tokens.regenerate', displayName: 'Regenerate API tokens' },
  { uid: 'tokens.revoke', displayName: 'Revoke API tokens' },
]);
