/** RBAC actions of the token screens and admin routes: `plugin::api-tokens.tokens.<verb>`. */
export const TOKEN_ACTIONS = [
  { uid: 'tokens.read', displayName: 'Read API tokens' },
  { uid: 'tokens.create', displayName: 'Create API tokens' },
  { uid: 'tokens.update', displayName: 'Rename API tokens' },
  { uid: 'tokens.regenerate', displayName: 'Regenerate API tokens' },
  { uid: 'tokens.revoke', displayName: 'Revoke API tokens' },
].map((action) => ({ ...action, section: 'plugins', pluginName: 'api-tokens', subCategory: 'API tokens' }));
