import { PLUGIN_ID } from './get-service';

/** Admin route config: an authenticated admin holding `plugin::api-tokens.<action>`. */
export const adminRoute = (action: string) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: [`plugin::${PLUGIN_ID}.${action}`] } },
  ],
});

/**
 * Content-API route config: only this plugin's bearer tokens, holding every scope listed. Strapi's own auth is off,
 * so its full-access API tokens and users-permissions JWTs never pass.
 */
export const scopedRoute = (...scopes: string[]) => ({
  auth: false as const,
  policies: [{ name: `plugin::${PLUGIN_ID}.has-scope`, config: { scopes } }],
});
