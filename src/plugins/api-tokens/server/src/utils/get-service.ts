import type { AuditService } from '../audit/service';
import type { ScopesService } from '../tokens/scopes';
import type { TokensService } from '../tokens/service';

export const PLUGIN_ID = 'api-tokens';

interface Services {
  tokens: TokensService;
  scopes: ScopesService;
  audit: AuditService;
}

export const getService = <Name extends keyof Services>(name: Name): Services[Name] =>
  strapi.plugin(PLUGIN_ID).service(name) as Services[Name];
