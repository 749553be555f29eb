import auditContentType from './audit/content-type';
import audit from './audit/service';
import bootstrap from './bootstrap';
import config from './config';
import destroy from './destroy';
import register from './register';
import tokenContentType from './tokens/content-type';
import token from './tokens/controller';
import hasScope from './tokens/has-scope-policy';
import { tokenAdminRoutes, tokenContentApiRoutes } from './tokens/routes';
import scopes from './tokens/scopes';
import tokens from './tokens/service';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes: {
    'api-token': tokenContentType,
    'audit-event': auditContentType,
  },
  controllers: { token },
  services: { tokens, scopes, audit },
  policies: { 'has-scope': hasScope },
  routes: {
    admin: { type: 'admin', routes: [...tokenAdminRoutes] },
    'content-api': { type: 'content-api', routes: [...tokenContentApiRoutes] },
  },
};

export type { ScopeDefinition } from './tokens/scopes';
export type { AuthenticatedToken } from './tokens/service';
