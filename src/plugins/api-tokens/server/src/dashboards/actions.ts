import { defineActions } from '../utils/actions';

/** `plugin::api-tokens.dashboards.<verb>` */
export const DASHBOARD_ACTIONS = defineActions('Dashboards', [
  { uid: 'dashboards.read', displayName: 'Read dashboards and their data' },
  { uid: 'dashboards.create', displayName: 'Create dashboards' },
  { uid: 'dashboards.update', displayName: 'Update dashboards' },
  { uid: 'dashboards.delete', displayName: 'Delete dashboards' },
]);
