import { Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import { useIntl } from 'react-intl';
import { dashboardKeys, useDashboardsApi } from '../../api/dashboards';
import { ListPage } from '../../components/ListPage';
import { ALL_DASHBOARD_PERMISSIONS } from '../../permissions';
import { errorMessageOf } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { DashboardTable } from './components/DashboardTable';
import { DeleteDashboardDialog } from './components/DeleteDashboardDialog';
import { useDeleteDashboard } from './useDeleteDashboard';

export const DashboardListPage = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const api = useDashboardsApi();
  const {
    allowedActions: { canCreate, canUpdate, canDelete },
  } = useRBAC(ALL_DASHBOARD_PERMISSIONS);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { deleting, setDeleting, confirmDelete } = useDeleteDashboard();

  const dashboards = useQuery(dashboardKeys.list(), () => api.listDashboards(), {
    retry: retryUnlessClientError,
    onError: (error) =>
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(error, t('dashboards.list.loadError', 'The dashboards could not be loaded.')),
      }),
  });

  if (dashboards.isLoading) return <Page.Loading />;
  if (!dashboards.data) return <Page.Error />;

  return (
    <ListPage
      title={t('dashboards.list.title', 'Dashboards')}
      subtitle={t(
        'dashboards.list.subtitle',
        'A dashboard lays out reports on a grid, with inputs shared by the reports that have them.'
      )}
      createLabel={t('dashboards.create', 'Create dashboard')}
      canCreate={canCreate}
      isEmpty={dashboards.data.length === 0}
      emptyMessage={t('dashboards.list.empty', 'No dashboards yet')}
      emptyMessageNoCreate={t(
        'dashboards.list.empty.noCreate',
        'No dashboards yet. Ask an administrator to create one.'
      )}
      overlays={
        <DeleteDashboardDialog dashboard={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
      }
    >
      <DashboardTable dashboards={dashboards.data} canUpdate={canUpdate} canDelete={canDelete} onDelete={setDeleting} />
    </ListPage>
  );
};
