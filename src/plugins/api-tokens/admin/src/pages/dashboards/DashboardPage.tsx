import * as React from 'react';
import { Flex, Typography } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';
import { dashboardKeys, useDashboardsApi } from '../../api/dashboards';
import type { InputValues } from '../../api/reports';
import { isNotRefreshedYet } from '../../api/semantic-models';
import { InputControls } from '../../components/InputControls';
import { ALL_DASHBOARD_PERMISSIONS } from '../../permissions';
import { errorMessageOf, fieldErrorsByPath, statusOf } from '../../utils/errors';
import { DocumentHeader } from '../../components/DocumentHeader';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { EmbedPanel } from '../embeds/components/EmbedPanel';
import { DashboardGrid } from './components/DashboardGrid';
import { DeleteDashboardDialog } from './components/DeleteDashboardDialog';
import { ReportTile } from './components/ReportTile';
import { useDeleteDashboard } from './useDeleteDashboard';

/** Input errors by input name, from a 400 naming `inputs.<name>`. */
const inputErrorsOf = (error: unknown) =>
  Object.fromEntries(
    Object.entries(fieldErrorsByPath(error))
      .filter(([path]) => path.startsWith('inputs.'))
      .map(([path, message]) => [path.slice('inputs.'.length), message])
  );

/** One dashboard, read-only: its shared inputs over its grid of reports. */
export const DashboardPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const api = useDashboardsApi();
  const {
    isLoading: isLoadingPermissions,
    allowedActions: { canUpdate, canDelete },
  } = useRBAC(ALL_DASHBOARD_PERMISSIONS);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const [values, setValues] = React.useState<InputValues>({});
  const { deleting, setDeleting, confirmDelete } = useDeleteDashboard(() => navigate('..', { replace: true }));

  const dashboard = useQuery(dashboardKeys.detail(documentId), () => api.getDashboard(documentId), {
    retry: retryUnlessClientError,
  });
  const inputs = useQuery(dashboardKeys.inputs(documentId), ({ signal }) => api.dashboardInputs(documentId, signal), {
    retry: retryUnlessClientError,
  });
  const data = useQuery(
    dashboardKeys.data(documentId, values),
    ({ signal }) => api.dashboardData(documentId, values, signal),
    { keepPreviousData: true, retry: retryUnlessClientError }
  );

  if (dashboard.isLoading || isLoadingPermissions) return <Page.Loading />;
  if (statusOf(dashboard.error) === 404) return <Page.NoData />;
  if (!dashboard.data) return <Page.Error />;

  const { name, items } = dashboard.data;
  const inputErrors = inputErrorsOf(data.error);
  const gridError = data.error && Object.keys(inputErrors).length === 0 ? data.error : null;

  return (
    <Page.Main>
      <DocumentHeader
        title={name}
        deleteLabel={t('dashboards.page.delete', 'Delete')}
        onDelete={canDelete ? () => setDeleting(dashboard.data) : undefined}
        editLabel={t('dashboards.page.edit', 'Edit')}
        canEdit={canUpdate}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {inputs.data && inputs.data.length > 0 ? (
            <InputControls
              inputs={inputs.data}
              values={values}
              errors={inputErrors}
              onChange={(input, value) => setValues((current) => ({ ...current, [input]: value }))}
            />
          ) : null}
          {gridError ? (
            <Typography textColor={isNotRefreshedYet(gridError) ? 'neutral600' : 'danger600'} role="alert">
              {isNotRefreshedYet(gridError)
                ? t('dashboards.page.notReady', 'No data yet: a report’s model has not been refreshed.')
                : errorMessageOf(gridError, t('dashboards.page.dataError', 'The dashboard’s data could not be loaded'))}
            </Typography>
          ) : (
            <DashboardGrid isEmpty={items.length === 0}>
              {items.map((item, index) => (
                <ReportTile
                  key={`${index}-${item.report}`}
                  reportId={item.report}
                  report={data.data?.[index]}
                  width={item.width}
                  result={data.data?.[index]}
                  isLoading={data.isLoading}
                  error={null}
                />
              ))}
            </DashboardGrid>
          )}
          <EmbedPanel
            type="story"
            documentId={documentId}
            embed={dashboard.data.embed}
            canUpdate={canUpdate}
            detailKey={dashboardKeys.detail(documentId)}
          />
        </Flex>
      </Layouts.Content>
      <DeleteDashboardDialog dashboard={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
    </Page.Main>
  );
};
