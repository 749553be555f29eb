import { PLUGIN_ID } from './get-service';

/** RBAC actions of one capability, shown under its own heading in Settings → Roles → Plugins. */
export const defineActions = (subCategory: string, actions: { uid: string; displayName: string }[]) =>
  actions.map((action) => ({ ...action, section: 'plugins', pluginName: PLUGIN_ID, subCategory }));
