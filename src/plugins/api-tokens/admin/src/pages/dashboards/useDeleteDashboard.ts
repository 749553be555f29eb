import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useQueryClient } from 'react-query';
import { useIntl } from 'react-intl';
import { dashboardKeys, useDashboardsApi, type Dashboard } from '../../api/dashboards';
import { errorMessageOf } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

/**
 * The delete confirmed in DeleteDashboardDialog: the dashboard being confirmed, and the delete itself, which drops it
 * from the cached lists and says so (or shows the server's message, e.g. a 409).
 */
export const useDeleteDashboard = (onDeleted?: () => void) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const queryClient = useQueryClient();
  const api = useDashboardsApi();
  const [deleting, setDeleting] = React.useState<Dashboard | null>(null);

  const confirmDelete = async () => {
    if (!deleting) return;
    try {
      await api.deleteDashboard(deleting.documentId);
      queryClient.setQueryData<Dashboard[] | undefined>(dashboardKeys.list(), (list) =>
        list?.filter((row) => row.documentId !== deleting.documentId)
      );
      queryClient.removeQueries(dashboardKeys.detail(deleting.documentId));
      void queryClient.invalidateQueries(dashboardKeys.list());
      toggleNotification({
        type: 'success',
        message: formatMessage(
          { id: getTranslation('dashboards.delete.success'), defaultMessage: '“{name}” was deleted' },
          { name: deleting.name }
        ),
      });
      setDeleting(null);
      onDeleted?.();
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(
          error,
          formatMessage({
            id: getTranslation('dashboards.delete.error'),
            defaultMessage: 'The dashboard could not be deleted',
          })
        ),
      });
    }
  };

  return { deleting, setDeleting, confirmDelete };
};
