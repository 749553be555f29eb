import { adminRoute, runRoute } from '../utils/route-config';

export const runAdminRoutes = [
  { method: 'GET', path: '/runs', handler: 'run.find', config: adminRoute('runs.read') },
  { method: 'GET', path: '/runs/:runId', handler: 'run.findOne', config: adminRoute('runs.read') },
  { method: 'POST', path: '/runs/:runId/cancel', handler: 'run.cancelFromAdmin', config: adminRoute('runs.cancel') },
  // Reveals nothing but cron arithmetic, so any signed-in admin may use it.
  {
    method: 'GET',
    path: '/schedule-preview',
    handler: 'run.schedulePreview',
    config: { policies: ['admin::isAuthenticatedAdmin'] },
  },
];

export const runContentApiRoutes = [
  { method: 'GET', path: '/runs/:runId', handler: 'run.show', config: runRoute() },
  { method: 'DELETE', path: '/runs/:runId', handler: 'run.cancel', config: runRoute() },
];
