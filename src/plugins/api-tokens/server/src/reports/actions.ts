import { defineActions } from '../utils/actions';

/** `plugin::api-tokens.reports.<verb>` */
export const REPORT_ACTIONS = defineActions('Reports', [
  { uid: 'reports.read', displayName: 'Read reports and their data' },
  { uid: 'reports.create', displayName: 'Create reports' },
  { uid: 'reports.update', displayName: 'Update reports' },
  { uid: 'reports.delete', displayName: 'Delete reports' },
]);
