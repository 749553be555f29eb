import { useRBAC } from '@strapi/strapi/admin';
import {
  AUDIT_PERMISSIONS,
  DASHBOARD_PERMISSIONS,
  MODEL_PERMISSIONS,
  PERMISSIONS,
  REPORT_PERMISSIONS,
  RUN_PERMISSIONS,
  SUBSCRIPTION_PERMISSIONS,
} from '../permissions';

export type Section = 'tokens' | 'audit' | 'models' | 'reports' | 'dashboards' | 'subscriptions' | 'runs';

/** Which of the plugin's sections the signed-in admin may read (each needs its capability's read action). */
export const useReadableSections = (): { isLoading: boolean; canRead: Record<Section, boolean> } => {
  const tokens = useRBAC(PERMISSIONS.read);
  const audit = useRBAC(AUDIT_PERMISSIONS.read);
  const models = useRBAC(MODEL_PERMISSIONS.read);
  const reports = useRBAC(REPORT_PERMISSIONS.read);
  const dashboards = useRBAC(DASHBOARD_PERMISSIONS.read);
  const subscriptions = useRBAC(SUBSCRIPTION_PERMISSIONS.read);
  const runs = useRBAC(RUN_PERMISSIONS.read);
  const all = { tokens, audit, models, reports, dashboards, subscriptions, runs };
  return {
    isLoading: Object.values(all).some((check) => check.isLoading),
    canRead: Object.fromEntries(
      Object.entries(all).map(([section, check]) => [section, Boolean(check.allowedActions.canRead)])
    ) as Record<Section, boolean>,
  };
};
