import { PLUGIN_ID } from '../pluginId';

/** The admin routes of the plugin's screens (the router's basename, `/admin`, is left out). */
export const PLUGIN_BASE = `/plugins/${PLUGIN_ID}`;

export const PATHS = {
  audit: `${PLUGIN_BASE}/audit`,
  embedActivity: `${PLUGIN_BASE}/embed-activity`,
  models: `${PLUGIN_BASE}/semantic-models`,
  reports: `${PLUGIN_BASE}/reports`,
  dashboards: `${PLUGIN_BASE}/dashboards`,
  subscriptions: `${PLUGIN_BASE}/subscriptions`,
  runs: `${PLUGIN_BASE}/runs`,
};

/** The page of one item of a section, e.g. `itemPath('reports', id)`. */
export const itemPath = (section: keyof typeof PATHS, documentId: string) =>
  `${PATHS[section]}/${encodeURIComponent(documentId)}`;
