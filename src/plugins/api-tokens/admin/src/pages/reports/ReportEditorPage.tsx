import { Page } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import { useParams } from 'react-router-dom';
import { reportKeys, useReportsApi } from '../../api/reports';
import { statusOf } from '../../utils/errors';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { ReportEditorForm } from './components/ReportEditorForm';

/** Create (no `:documentId`) and edit a report: loads the report, then the form takes over. */
export const ReportEditorPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const api = useReportsApi();
  const report = useQuery(reportKeys.detail(documentId), () => api.getReport(documentId), {
    enabled: Boolean(documentId),
    retry: retryUnlessClientError,
    // The form starts from what is saved now, not from a cached copy.
    refetchOnMount: 'always',
  });

  if (!documentId) return <ReportEditorForm report={null} />;
  if (report.isLoading || !report.isFetchedAfterMount) return <Page.Loading />;
  if (statusOf(report.error) === 404) return <Page.NoData />;
  if (report.isError || !report.data) return <Page.Error />;
  return <ReportEditorForm key={report.data.documentId} report={report.data} />;
};
