import type { Core } from '@strapi/strapi';
import { getService, PLUGIN_ID } from '../utils/get-service';
import { rootRoutes } from '../utils/root-routes';
import { API_DESCRIPTIONS } from './descriptions';
import { buildDocument, type ServedRoute } from './document';

const VERSION = '1.0.0';

/** The OpenAPI document of the routes external apps call, built once from the routes the plugin registers. */
const openapi = ({ strapi }: { strapi: Core.Strapi }) => {
  let built: ReturnType<typeof buildDocument> | undefined;

  const build = () => {
    const prefix = `${strapi.config.get('api.rest.prefix', '/api')}/${PLUGIN_ID}`;
    const router = (strapi.plugin(PLUGIN_ID).routes as Record<string, { routes: ServedRoute[] }>)['content-api'];
    const routes = [...router.routes.map((route) => ({ ...route, path: `${prefix}${route.path}` })), ...rootRoutes];
    const runKindScopes = Object.fromEntries(
      getService('runs')
        .listKinds()
        .map((kind) => [kind.kind, kind.scope])
    );
    const result = buildDocument({ routes, descriptions: API_DESCRIPTIONS, runKindScopes, version: VERSION });
    if (result.undocumented.length > 0) {
      strapi.log.warn(`api-tokens: routes missing from the OpenAPI document: ${result.undocumented.join('; ')}`);
    }
    return result;
  };

  return {
    document() {
      built ??= build();
      return built.document;
    },
    /** `METHOD /path (key)` of each served route that has no description. */
    undocumented() {
      built ??= build();
      return built.undocumented;
    },
  };
};

export type OpenApiService = ReturnType<typeof openapi>;
export default openapi;
