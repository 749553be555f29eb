import type { Core } from '@strapi/strapi';
import { embedAuthRoutes } from '../embeds/routes';
import { embedViewerRoutes } from '../embeds/viewer-routes';
import { oauthRoutes } from '../oauth/routes';
import { PLUGIN_ID } from './get-service';

export const rootRoutes = [...embedAuthRoutes, ...oauthRoutes, ...embedViewerRoutes];

/**
 * Domo's paths (embed auth, OAuth) and the embed viewer, at the app's root outside /api. They go on the server's root
 * router, as Strapi's own /_health does: a plugin router of type 'admin' with an empty prefix would serve the same
 * paths, but every request would then run the admin API's passport middleware and be matched against every admin route.
 * Each route has `auth: false` and lists its own policies. Must run before the server is mounted (bootstrap).
 */
export const registerRootRoutes = (strapi: Core.Strapi) => {
  strapi.server.routes(rootRoutes.map((route) => ({ ...route, info: { pluginName: PLUGIN_ID } })) as any);
};
