/** RBAC actions of the run history screens and admin routes: `plugin::api-tokens.runs.<verb>`. */
export const RUN_ACTIONS = [
  { uid: 'runs.read', displayName: 'Read job runs' },
  { uid: 'runs.cancel', displayName: 'Cancel job runs' },
].map((action) => ({
  ...action,
  section: 'plugins',
  pluginName: 'api-tokens',
  subCategory: 'Job runs',
}));
