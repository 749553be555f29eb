import { adminRoute } from '../utils/route-config';

export const dashboardAdminRoutes = [
  { method: 'GET', path: '/dashboards', handler: 'dashboard.find', config: adminRoute('dashboards.read') },
  { method: 'POST', path: '/dashboards', handler: 'dashboard.create', config: adminRoute('dashboards.create') },
  { method: 'GET', path: '/dashboards/:id', handler: 'dashboard.findOne', config: adminRoute('dashboards.read') },
  { method: 'PUT', path: '/dashboards/:id', handler: 'dashboard.update', config: adminRoute('dashboards.update') },
  { method: 'DELETE', path: '/dashboards/:id', handler: 'dashboard.delete', config: adminRoute('dashboards.delete') },
  { method: 'GET', path: '/dashboards/:id/data', handler: 'dashboard.data', config: adminRoute('dashboards.read') },
  { method: 'GET', path: '/dashboards/:id/inputs', handler: 'dashboard.inputs', config: adminRoute('dashboards.read') },
];
