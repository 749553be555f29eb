import * as React from 'react';
import { useQueries } from 'react-query';
import { reportKeys, useReportsApi, type ReportInputOptions } from '../../api/reports';
import { mergeInputs } from '../../../../server/src/shared/merge-inputs';
import { retryUnlessClientError } from '../../utils/queryRetry';

/**
 * The shared inputs of an unsaved dashboard: the inputs of its reports (each `GET /reports/:id/inputs`), merged by
 * name as the server merges a saved dashboard's.
 */
export const useSharedInputs = (reportIds: string[]): { inputs: ReportInputOptions[]; isLoading: boolean } => {
  const api = useReportsApi();
  const distinct = [...new Set(reportIds)];
  const results = useQueries(
    distinct.map((documentId) => ({
      queryKey: reportKeys.inputs(documentId),
      queryFn: () => api.reportInputs(documentId),
      retry: retryUnlessClientError,
    }))
  );
  const isLoading = results.some((result) => result.isLoading);
  // Merged again only when a report's list is (re)fetched, or the reports change.
  const version = results.map((result, index) => `${distinct[index]}@${result.dataUpdatedAt}`).join(',');
  const inputs = React.useMemo(
    () =>
      mergeInputs(
        results.map((result) => result.data).filter((list): list is ReportInputOptions[] => Array.isArray(list))
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [version]
  );
  return { inputs, isLoading };
};
