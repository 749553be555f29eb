import * as React from 'react';
import { Page, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { reportKeys, useReportsApi, type Report } from '../../api/reports';
import { modelKeys, useSemanticModelsApi } from '../../api/semantic-models';
import { ListPage } from '../../components/ListPage';
import { ALL_REPORT_PERMISSIONS, MODEL_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { DeleteReportDialog } from './components/DeleteReportDialog';
import { ReportTable } from './components/ReportTable';

export const ReportListPage = () => {
  const { formatMessage } = useIntl();
  const api = useReportsApi();
  const modelsApi = useSemanticModelsApi();
  const {
    allowedActions: { canCreate, canUpdate, canDelete },
  } = useRBAC(ALL_REPORT_PERMISSIONS);
  const {
    isLoading: isLoadingModelPermission,
    allowedActions: { canRead: canReadModels },
  } = useRBAC(MODEL_PERMISSIONS.read);
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const [deleting, setDeleting] = React.useState<Report | null>(null);

  const reports = useQuery(reportKeys.list(), () => api.listReports(), { retry: retryUnlessClientError });
  // Model names, for a reader who may list models; the others see the model's id.
  const models = useQuery(modelKeys.list(), () => modelsApi.listModels(), {
    enabled: !isLoadingModelPermission && canReadModels,
    retry: retryUnlessClientError,
  });
  const modelNames = React.useMemo(
    () => new Map((models.data ?? []).map((model) => [model.documentId, model.name])),
    [models.data]
  );

  if (reports.isLoading) return <Page.Loading />;
  if (reports.isError || !reports.data) return <Page.Error />;

  return (
    <ListPage
      title={t('reports.list.title', 'Reports')}
      subtitle={t(
        'reports.list.subtitle',
        'A report queries one semantic model and draws the result as a chart or a table, with inputs its readers can change.'
      )}
      createLabel={t('reports.create', 'Create report')}
      canCreate={canCreate}
      isEmpty={reports.data.length === 0}
      emptyMessage={t('reports.list.empty', 'No reports yet')}
      emptyMessageNoCreate={t('reports.list.empty.noCreate', 'No reports yet. Ask an administrator to create one.')}
      overlays={
        <DeleteReportDialog report={deleting} onCancel={() => setDeleting(null)} onDeleted={() => setDeleting(null)} />
      }
    >
      <ReportTable
        reports={reports.data}
        modelNames={modelNames}
        canUpdate={canUpdate}
        canDelete={canDelete}
        onDelete={setDeleting}
      />
    </ListPage>
  );
};
