import { defineActions } from '../utils/actions';

/** `plugin::api-tokens.audit.<verb>` */
export const AUDIT_ACTIONS = defineActions('Audit log', [{ uid: 'audit.read', displayName: 'Read the audit log' }]);
