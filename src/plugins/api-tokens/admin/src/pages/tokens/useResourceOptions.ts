import * as React from 'react';
import { useQuery } from 'react-query';
import { dashboardKeys, useDashboardsApi } from '../../api/dashboards';
import { modelKeys, useSemanticModelsApi } from '../../api/semantic-models';
import { reportKeys, useReportsApi } from '../../api/reports';
import { subscriptionKeys, useSubscriptionsApi } from '../../api/subscriptions';
import type { ResourceKind } from '../../api/tokens';
import { retryUnlessClientError } from '../../utils/queryRetry';

export interface ResourceOption {
  documentId: string;
  name: string;
  /** What it is, for embeds: "Report" or "Dashboard". */
  type?: 'report' | 'dashboard';
}

/** A list this admin may not read (403) is empty: the picker offers what can be seen. */
const options = { retry: retryUnlessClientError, staleTime: 30_000 };

/**
 * What a token can be restricted to, from the admin lists: semantic models, subscriptions, and the reports and
 * dashboards whose embedding is enabled.
 */
export const useResourceOptions = () => {
  const models = useSemanticModelsApi();
  const subscriptions = useSubscriptionsApi();
  const reports = useReportsApi();
  const dashboards = useDashboardsApi();
  const modelList = useQuery(modelKeys.list(), () => models.listModels(), options);
  const subscriptionList = useQuery(subscriptionKeys.list(), () => subscriptions.listSubscriptions(), options);
  const reportList = useQuery(reportKeys.list(), () => reports.listReports(), options);
  const dashboardList = useQuery(dashboardKeys.list(), () => dashboards.listDashboards(), options);

  const byKind = React.useMemo((): Record<ResourceKind, ResourceOption[]> => {
    const named = (rows: { documentId: string; name: string }[] | undefined) =>
      (rows ?? []).map(({ documentId, name }) => ({ documentId, name }));
    return {
      models: named(modelList.data),
      subscriptions: named(subscriptionList.data),
      embeds: [
        ...(reportList.data ?? [])
          .filter((report) => report.embed?.enabled)
          .map(({ documentId, name }) => ({ documentId, name, type: 'report' as const })),
        ...(dashboardList.data ?? [])
          .filter((dashboard) => dashboard.embed?.enabled)
          .map(({ documentId, name }) => ({ documentId, name, type: 'dashboard' as const })),
      ],
    };
  }, [modelList.data, subscriptionList.data, reportList.data, dashboardList.data]);

  const isLoading = [modelList, subscriptionList, reportList, dashboardList].some((query) => query.isLoading);
  return { byKind, isLoading };
};
