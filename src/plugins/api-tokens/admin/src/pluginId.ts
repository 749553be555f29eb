export const PLUGIN_ID = 'api-tokens';
