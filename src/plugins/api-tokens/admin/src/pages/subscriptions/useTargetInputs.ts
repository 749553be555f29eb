import { useQuery } from 'react-query';
import { dashboardKeys, useDashboardsApi } from '../../api/dashboards';
import { reportKeys, useReportsApi, type ReportInputOptions } from '../../api/reports';
import type { SubscriptionTarget } from '../../api/subscriptions';
import { retryUnlessClientError } from '../../utils/queryRetry';

/** The data inputs of a subscription's target with their options now (a dashboard's: its reports' merged by name). */
export const useTargetInputs = (target: SubscriptionTarget | null) => {
  const reportsApi = useReportsApi();
  const dashboardsApi = useDashboardsApi();
  const type = target?.type;
  const id = target?.id ?? '';
  return useQuery<ReportInputOptions[]>(
    type === 'dashboard' ? dashboardKeys.inputs(id) : reportKeys.inputs(id),
    ({ signal }) =>
      type === 'dashboard' ? dashboardsApi.dashboardInputs(id, signal) : reportsApi.reportInputs(id, signal),
    { enabled: Boolean(type && id), retry: retryUnlessClientError }
  );
};
