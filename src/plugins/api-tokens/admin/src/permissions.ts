import { PLUGIN_ID } from './pluginId';

const action = (verb: string) => [{ action: `plugin::${PLUGIN_ID}.tokens.${verb}`, subject: null }];

/** RBAC actions of the token screens (registered by the server half). */
export const PERMISSIONS = {
  read: action('read'),
  create: action('create'),
  update: action('update'),
  regenerate: action('regenerate'),
  revoke: action('revoke'),
};

/** Every token action, for `useRBAC` (gives canRead, canCreate, canUpdate, canRegenerate, canRevoke). */
export const ALL_TOKEN_PERMISSIONS = Object.values(PERMISSIONS).flat();
