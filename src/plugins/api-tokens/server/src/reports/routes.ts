import { adminRoute } from '../utils/route-config';

export const reportAdminRoutes = [
  { method: 'GET', path: '/reports', handler: 'report.find', config: adminRoute('reports.read') },
  { method: 'POST', path: '/reports', handler: 'report.create', config: adminRoute('reports.create') },
  { method: 'GET', path: '/reports/:id', handler: 'report.findOne', config: adminRoute('reports.read') },
  { method: 'PUT', path: '/reports/:id', handler: 'report.update', config: adminRoute('reports.update') },
  { method: 'DELETE', path: '/reports/:id', handler: 'report.delete', config: adminRoute('reports.delete') },
  { method: 'GET', path: '/reports/:id/data', handler: 'report.data', config: adminRoute('reports.read') },
  { method: 'GET', path: '/reports/:id/inputs', handler: 'report.inputs', config: adminRoute('reports.read') },
  // The editor's live preview of an unsaved body. Strapi's hasPermissions asks for every action it lists, so one:
  // reading a report's data is what a preview does, and the source check still applies.
  { method: 'POST', path: '/report-preview', handler: 'report.preview', config: adminRoute('reports.read') },
];
