import { adminRoute, scopedRoute } from '../utils/route-config';

export const tokenAdminRoutes = [
  { method: 'GET', path: '/tokens', handler: 'token.find', config: adminRoute('tokens.read') },
  { method: 'POST', path: '/tokens', handler: 'token.create', config: adminRoute('tokens.create') },
  { method: 'GET', path: '/tokens/:id', handler: 'token.findOne', config: adminRoute('tokens.read') },
  { method: 'PUT', path: '/tokens/:id', handler: 'token.update', config: adminRoute('tokens.update') },
  {
    method: 'POST',
    path: '/tokens/:id/regenerate',
    handler: 'token.regenerate',
    config: adminRoute('tokens.regenerate'),
  },
  { method: 'POST', path: '/tokens/:id/revoke', handler: 'token.revoke', config: adminRoute('tokens.revoke') },
  { method: 'GET', path: '/scopes', handler: 'token.scopes', config: adminRoute('tokens.read') },
];

export const tokenContentApiRoutes = [{ method: 'GET', path: '/self', handler: 'token.self', config: scopedRoute() }];
