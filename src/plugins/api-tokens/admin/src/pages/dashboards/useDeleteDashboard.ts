import { dashboardKeys, useDashboardsApi, type Dashboard } from '../../api/dashboards';
import { getTranslation } from '../../utils/getTranslation';
import { useDeleteDocument } from '../../utils/useDeleteDocument';

/** The delete confirmed in DeleteDashboardDialog. */
export const useDeleteDashboard = (onDeleted?: () => void) => {
  const api = useDashboardsApi();
  return useDeleteDocument<Dashboard>({
    remove: api.deleteDashboard,
    keys: dashboardKeys,
    messages: {
      success: { id: getTranslation('dashboards.delete.success'), defaultMessage: '“{name}” was deleted' },
      error: { id: getTranslation('dashboards.delete.error'), defaultMessage: 'The dashboard could not be deleted' },
    },
    onDeleted,
  });
};
