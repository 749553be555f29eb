import * as React from 'react';
import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { useNavigate, useParams } from 'react-router-dom';
import { reportKeys, useReportsApi, type InputValues } from '../../api/reports';
import { modelKeys, useSemanticModelsApi } from '../../api/semantic-models';
import { Card } from '../../components/Card';
import { Chart } from '../../components/Chart';
import { InputControls } from '../../components/InputControls';
import { ResultTable } from '../../components/ResultTable';
import { ALL_REPORT_PERMISSIONS, MODEL_PERMISSIONS } from '../../permissions';
import { errorCodeOf, errorDetailsOf, errorMessageOf, fieldErrorsByPath, statusOf } from '../../utils/errors';
import { DocumentHeader } from '../../components/DocumentHeader';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { EmbedPanel } from '../embeds/components/EmbedPanel';
import { ColumnMissingAlert } from './components/ColumnMissingAlert';
import { DeleteReportDialog } from './components/DeleteReportDialog';
import { ModelNotReady } from './components/ModelNotReady';
import { useChartTypeLabel } from './useChartTypeLabel';

const PAGE_SIZE = 20;
/** The chart draws the whole result up to the data route's largest page. */
const CHART_ROWS = 1000;

/** One report: its data inputs, its chart and its result table, paged; edit and delete for who may. */
export const ReportPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const api = useReportsApi();
  const modelsApi = useSemanticModelsApi();
  const chartTypeLabel = useChartTypeLabel();
  const {
    isLoading: isLoadingPermissions,
    allowedActions: { canUpdate, canDelete },
  } = useRBAC(ALL_REPORT_PERMISSIONS);
  const {
    allowedActions: { canRead: canReadModels },
  } = useRBAC(MODEL_PERMISSIONS.read);
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  /** Only the inputs the reader changed; the others take their defaults on the server. */
  const [inputValues, setInputValues] = React.useState<InputValues>({});
  const [page, setPage] = React.useState(1);
  const [deleting, setDeleting] = React.useState(false);

  const report = useQuery(reportKeys.detail(documentId), () => api.getReport(documentId), {
    retry: retryUnlessClientError,
  });
  const hasChart = Boolean(report.data && report.data.chart.type !== 'table');
  const model = useQuery(
    modelKeys.detail(report.data?.semanticModel ?? ''),
    () => modelsApi.getModel(report.data!.semanticModel),
    { enabled: Boolean(report.data) && canReadModels, retry: retryUnlessClientError }
  );
  const inputs = useQuery(reportKeys.inputs(documentId), ({ signal }) => api.reportInputs(documentId, signal), {
    enabled: Boolean(report.data),
    retry: retryUnlessClientError,
  });
  const tableParams = { inputs: inputValues, page, pageSize: PAGE_SIZE };
  const table = useQuery(
    reportKeys.data(documentId, tableParams),
    ({ signal }) => api.reportData(documentId, tableParams, signal),
    { enabled: Boolean(report.data), keepPreviousData: true, retry: retryUnlessClientError }
  );
  const chartParams = { inputs: inputValues, page: 1, pageSize: CHART_ROWS };
  const chart = useQuery(
    reportKeys.data(documentId, chartParams),
    ({ signal }) => api.reportData(documentId, chartParams, signal),
    { enabled: hasChart, keepPreviousData: true, retry: retryUnlessClientError }
  );

  const handleInputChange = (name: string, value: string | string[]) => {
    setInputValues((current) => ({ ...current, [name]: value }));
    setPage(1);
  };

  if (report.isLoading || isLoadingPermissions) return <Page.Loading />;
  if (statusOf(report.error) === 404) return <Page.NoData />;
  if (report.isError || !report.data) return <Page.Error />;

  const { name, semanticModel } = report.data;
  const dataError = table.error ?? chart.error ?? inputs.error;
  const dataCode = errorCodeOf(dataError);
  const modelName = model.data?.name;
  // A 400 naming an input (`inputs.channel`) shows under its control.
  const inputErrors = Object.fromEntries(
    Object.entries(fieldErrorsByPath(dataError))
      .filter(([path]) => path.startsWith('inputs.'))
      .map(([path, message]) => [path.slice('inputs.'.length), message])
  );
  const isFetching = table.isFetching || chart.isFetching;

  const body =
    dataCode === 'MODEL_NOT_READY' ? (
      <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
        <ModelNotReady modelId={semanticModel} modelName={modelName} />
      </Box>
    ) : (
      <>
        {dataCode === 'REPORT_COLUMN_MISSING' ? (
          <ColumnMissingAlert
            columns={[String(errorDetailsOf(dataError).column ?? '')]}
            editTo={canUpdate ? 'edit' : undefined}
          />
        ) : dataError ? (
          <Typography textColor="danger600" role="alert" data-testid="report-error">
            {errorMessageOf(dataError, t('reports.page.dataError', 'The report’s data could not be loaded'))}
          </Typography>
        ) : null}
        {inputs.data && inputs.data.length > 0 ? (
          <Card title={t('reports.page.inputs', 'Inputs')}>
            <InputControls
              inputs={inputs.data}
              values={inputValues}
              errors={inputErrors}
              onChange={handleInputChange}
            />
          </Card>
        ) : null}
        {hasChart && chart.data ? (
          <Card title={t('reports.page.chart', 'Chart')} testId="report-chart">
            <Chart
              chart={report.data.chart}
              columns={chart.data.data.columns}
              rows={chart.data.data.rows}
              label={name}
            />
          </Card>
        ) : null}
        {/* Nothing to page through when the data failed: the error says why. */}
        {table.data || table.isLoading ? (
          <Card title={t('reports.page.data', 'Data')} testId="report-data">
            {table.data ? (
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Flex justifyContent="space-between" gap={2}>
                  <Typography variant="pi" textColor="neutral600" data-testid="report-row-count">
                    {t('reports.page.total', '{total, plural, one {# row} other {# rows}}', {
                      total: table.data.meta.pagination.total,
                    })}
                  </Typography>
                  {isFetching ? <Loader small>{t('reports.loading', 'Loading')}</Loader> : null}
                </Flex>
                <Box overflow="auto" style={{ opacity: isFetching ? 0.6 : 1 }} data-fetching={isFetching}>
                  <ResultTable
                    columns={table.data.data.columns}
                    rows={table.data.data.rows}
                    pagination={table.data.meta.pagination}
                    onPageChange={setPage}
                    testId="report-table"
                  />
                </Box>
              </Flex>
            ) : (
              <Flex justifyContent="center" padding={6}>
                <Loader>{t('reports.loading', 'Loading')}</Loader>
              </Flex>
            )}
          </Card>
        ) : null}
      </>
    );

  return (
    <Page.Main>
      <DocumentHeader
        title={name}
        subtitle={t('reports.page.subtitle', '{chart} over {model}', {
          chart: chartTypeLabel(report.data.chart.type),
          model: modelName ?? semanticModel,
        })}
        deleteLabel={t('reports.page.delete', 'Delete')}
        onDelete={canDelete ? () => setDeleting(true) : undefined}
        editLabel={t('reports.page.edit', 'Edit')}
        canEdit={canUpdate}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          {body}
          <EmbedPanel
            type="card"
            documentId={documentId}
            embed={report.data.embed}
            canUpdate={canUpdate}
            detailKey={reportKeys.detail(documentId)}
          />
        </Flex>
      </Layouts.Content>
      <DeleteReportDialog
        report={deleting ? report.data : null}
        onCancel={() => setDeleting(false)}
        onDeleted={() => navigate('..', { replace: true })}
      />
    </Page.Main>
  );
};
