import { adminRoute } from '../utils/route-config';

export const embedAdminRoutes = [
  {
    method: 'POST',
    path: '/reports/:id/embed/revoke-tokens',
    handler: 'embed-admin.revokeReportTokens',
    config: adminRoute('reports.update'),
  },
  {
    method: 'POST',
    path: '/dashboards/:id/embed/revoke-tokens',
    handler: 'embed-admin.revokeDashboardTokens',
    config: adminRoute('dashboards.update'),
  },
  // The report's or dashboard's own read permission is checked by the playground service, per type.
  {
    method: 'GET',
    path: '/embed-playground/:type/:embedId',
    handler: 'embed-admin.playgroundTarget',
    config: adminRoute('embeds.playground'),
  },
  {
    method: 'POST',
    path: '/embed-playground',
    handler: 'embed-admin.playground',
    config: adminRoute('embeds.playground'),
  },
  { method: 'GET', path: '/embed-activity', handler: 'embed-admin.activity', config: adminRoute('audit.read') },
];
