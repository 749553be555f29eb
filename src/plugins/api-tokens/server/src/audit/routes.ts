import { adminRoute } from '../utils/route-config';

export const auditAdminRoutes = [
  { method: 'GET', path: '/audit-events', handler: 'audit-event.find', config: adminRoute('audit.read') },
];
