import { HAS_SCOPE_POLICY, type HasScopeConfig } from '../tokens/has-scope-policy';
import type { ResourceKind } from '../tokens/resources';
import { PLUGIN_ID } from './get-service';

/** Admin route config: an authenticated admin holding `plugin::api-tokens.<action>`. */
export const adminRoute = (action: string) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: [`plugin::${PLUGIN_ID}.${action}`] } },
  ],
});

const tokenRoute = (config: HasScopeConfig) => ({
  auth: false as const,
  policies: [{ name: HAS_SCOPE_POLICY, config }],
});

/**
 * Content-API route config: only this plugin's bearer tokens, holding every scope listed (none: any valid token).
 * Strapi's own auth is off, so its full-access API tokens and users-permissions JWTs never pass.
 */
export const scopedRoute = (...scopes: string[]) => tokenRoute({ scopes });

/** A scoped route acting on the resource whose documentId is `:id`: 403 when the token is restricted to others. */
export const scopedTargetRoute = (scope: string, kind: ResourceKind) =>
  tokenRoute({ scopes: [scope], target: { kind, param: 'id' } });

/** Content-API route config for `/runs/:runId`: a bearer token holding the scope of the run's kind. */
export const runRoute = () => tokenRoute({ scopes: [], runKind: true });
