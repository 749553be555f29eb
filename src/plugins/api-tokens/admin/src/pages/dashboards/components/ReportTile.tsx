import { Box, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Report, ReportResult } from '../../../api/reports';
import { isNotRefreshedYet } from '../../../api/semantic-models';
import { Chart } from '../../../components/Chart';
import { ResultTable } from '../../../components/ResultTable';
import { errorMessageOf } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';

const CHART_HEIGHT = 280;

interface ReportTileProps {
  /** The report's documentId. */
  reportId: string;
  /** The report's name and chart; undefined while they load. */
  report: Pick<Report, 'name' | 'chart'> | undefined;
  /** Grid columns out of 12. */
  width: number;
  result: ReportResult | undefined;
  isLoading: boolean;
  error: unknown;
}

/** One item of a dashboard's grid: the report's name over its chart (or its table), at its width. */
export const ReportTile = ({ reportId, report, width, result, isLoading, error }: ReportTileProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const chart = report?.chart ?? { type: 'table' as const };

  let body: React.ReactNode;
  if (error) {
    body = (
      <Typography textColor={isNotRefreshedYet(error) ? 'neutral600' : 'danger600'} role="alert">
        {isNotRefreshedYet(error)
          ? t('chart.tile.notReady', 'No data yet: the model has not been refreshed.')
          : errorMessageOf(error, t('chart.tile.error', 'The report’s data could not be loaded'))}
      </Typography>
    );
  } else if (!result || isLoading) {
    body = (
      <Flex justifyContent="center" padding={6}>
        <Loader small>{t('chart.tile.loading', 'Loading')}</Loader>
      </Flex>
    );
  } else if (chart.type === 'table') {
    body = (
      <Box overflow="auto" maxHeight="40rem">
        <ResultTable columns={result.columns} rows={result.rows} />
      </Box>
    );
  } else {
    body = (
      <Chart chart={chart} columns={result.columns} rows={result.rows} height={CHART_HEIGHT} label={report?.name} />
    );
  }

  return (
    <Grid.Item col={width} s={12} direction="column" alignItems="stretch">
      <Box
        background="neutral0"
        hasRadius
        shadow="filterShadow"
        padding={5}
        height="100%"
        data-testid="dashboard-tile"
        data-report={reportId}
        data-width={width}
      >
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="delta" tag="h3" ellipsis>
            {report?.name ?? t('chart.tile.unknown', 'Report unavailable')}
          </Typography>
          {body}
        </Flex>
      </Box>
    </Grid.Item>
  );
};
