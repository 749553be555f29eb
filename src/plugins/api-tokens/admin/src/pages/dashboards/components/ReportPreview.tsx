import { useQuery } from 'react-query';
import { reportKeys, useReportsApi, type InputValues, type Report } from '../../../api/reports';
import { retryUnlessClientError } from '../../../utils/queryRetry';
import { ReportTile } from './ReportTile';

/** The rows a tile shows: the first page, as the server's dashboard data gives it. */
export const TILE_PAGE_SIZE = 100;

interface ReportPreviewProps {
  report: Report;
  width: number;
  /** The dashboard's shared input values; only those the report has an input for are sent. */
  values: InputValues;
}

/** A live tile of the dashboard editor: the saved report's first page with the shared inputs applied. */
export const ReportPreview = ({ report, width, values }: ReportPreviewProps) => {
  const api = useReportsApi();
  const inputs = Object.fromEntries(
    Object.entries(values).filter(([name]) => report.inputs.some((input) => input.name === name))
  );
  const params = { inputs, page: 1, pageSize: TILE_PAGE_SIZE };
  const query = useQuery(
    reportKeys.data(report.documentId, params),
    ({ signal }) => api.reportData(report.documentId, params, signal),
    // The previous rows stay until the new ones arrive, so the tile does not flash when an input changes.
    { keepPreviousData: true, retry: retryUnlessClientError }
  );
  return (
    <ReportTile
      reportId={report.documentId}
      report={report}
      width={width}
      result={query.data?.data}
      isLoading={query.isLoading}
      error={query.error}
    />
  );
};
