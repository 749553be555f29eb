import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ChartSpec, ReportResult } from '../../../api/reports';
import { Chart } from '../../../components/Chart';
import { ResultTable } from '../../../components/ResultTable';
import { errorCodeOf, errorMessageOf, fieldErrorsByPath, statusOf } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';
import { ModelNotReady } from './ModelNotReady';

/** A previewed result with the chart it was asked for. */
export interface PreviewResult extends ReportResult {
  chart: ChartSpec;
}

interface ReportPreviewProps {
  modelId: string;
  modelName?: string;
  /** False for a model that has never been refreshed (no columns yet). */
  modelReady: boolean;
  /** The last result that came back, kept while a newer one loads or fails. */
  result: PreviewResult | undefined;
  isFetching: boolean;
  /** The latest preview's failure, if it failed. */
  error: unknown;
}

/** The editor's live preview: the chart and the first rows of the result of the query as it is now. */
export const ReportPreview = ({ modelId, modelName, modelReady, result, isFetching, error }: ReportPreviewProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const code = errorCodeOf(error);

  if (!modelId) {
    return (
      <Typography textColor="neutral600">{t('reports.preview.noModel', 'Pick a model to see a preview.')}</Typography>
    );
  }
  if (!modelReady || code === 'MODEL_NOT_READY') return <ModelNotReady modelId={modelId} modelName={modelName} />;

  // A 400 (the editor shows why, under the fields or above the form) leaves the last result up, greyed.
  const invalid = Boolean(error) && statusOf(error) === 400;
  const stale = Boolean(error) || isFetching;

  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="report-preview" data-fetching={isFetching}>
      {invalid ? (
        <Typography variant="pi" textColor="danger600" role="alert" data-testid="preview-invalid">
          {Object.keys(fieldErrorsByPath(error)).length > 0 || code === 'REPORT_COLUMN_MISSING'
            ? t('reports.preview.invalid', 'Fix the report as shown to update the preview.')
            : errorMessageOf(error, t('reports.preview.error', 'The preview could not be loaded'))}
        </Typography>
      ) : null}
      {error && !invalid ? (
        <Typography variant="pi" textColor="danger600" role="alert">
          {errorMessageOf(error, t('reports.preview.error', 'The preview could not be loaded'))}
        </Typography>
      ) : null}
      {result ? (
        <Box style={{ opacity: stale ? 0.6 : 1, transition: 'opacity 150ms' }}>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Chart chart={result.chart} columns={result.columns} rows={result.rows} height={260} />
            <Flex justifyContent="space-between" gap={2}>
              <Typography variant="pi" textColor="neutral600" data-testid="preview-row-count">
                {t('reports.preview.caption', '{count, plural, one {# row} other {# rows}}', {
                  count: result.rows.length,
                })}
              </Typography>
              {isFetching ? <Loader small>{t('reports.loading', 'Loading')}</Loader> : null}
            </Flex>
            <Box overflow="auto">
              <ResultTable columns={result.columns} rows={result.rows} testId="preview-table" />
            </Box>
          </Flex>
        </Box>
      ) : isFetching ? (
        <Flex justifyContent="center" padding={6}>
          <Loader>{t('reports.loading', 'Loading')}</Loader>
        </Flex>
      ) : null}
    </Flex>
  );
};
