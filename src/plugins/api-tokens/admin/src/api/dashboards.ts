import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import type {
  Dashboard,
  DashboardBody,
  DashboardItemResult,
  ReportInputOptions,
} from '../../../server/src/shared/types';
import { dataParams } from './data-params';
import type { InputValues } from './reports';

export type { Dashboard, DashboardBody, DashboardItem, DashboardItemResult } from '../../../server/src/shared/types';

const BASE = '/api-tokens';
const dashboardPath = (documentId: string) => `${BASE}/dashboards/${encodeURIComponent(documentId)}`;

/** Calls to the plugin's dashboard admin routes (`plugin::api-tokens.dashboards.*`). */
export const useDashboardsApi = () => {
  const { get, post, put, del } = useFetchClient();

  return React.useMemo(
    () => ({
      listDashboards: async () => (await get<{ data: Dashboard[] }>(`${BASE}/dashboards`)).data.data,
      getDashboard: async (documentId: string) => (await get<{ data: Dashboard }>(dashboardPath(documentId))).data.data,
      createDashboard: async (body: DashboardBody) =>
        (await post<{ data: Dashboard }>(`${BASE}/dashboards`, body)).data.data,
      updateDashboard: async (documentId: string, body: Partial<DashboardBody>) =>
        (await put<{ data: Dashboard }>(dashboardPath(documentId), body)).data.data,
      deleteDashboard: async (documentId: string) =>
        (await del<{ data: Dashboard }>(dashboardPath(documentId))).data.data,
      /** Every item's result, in item order; a shared input applies to each report that has an input of its name. */
      dashboardData: async (documentId: string, inputs?: InputValues, signal?: AbortSignal) =>
        (
          await get<{ data: DashboardItemResult[] }>(`${dashboardPath(documentId)}/data`, {
            params: dataParams({ inputs }),
            signal,
          })
        ).data.data,
      /** The inputs of the dashboard's reports, merged by name (options: the union of theirs). */
      dashboardInputs: async (documentId: string, signal?: AbortSignal) =>
        (await get<{ data: ReportInputOptions[] }>(`${dashboardPath(documentId)}/inputs`, { signal })).data.data,
    }),
    [get, post, put, del]
  );
};

/** react-query keys of the dashboard queries; invalidating `dashboardKeys.all` refetches every one of them. */
export const dashboardKeys = {
  all: ['api-tokens', 'dashboards'] as const,
  list: () => [...dashboardKeys.all, 'list'] as const,
  detail: (documentId: string) => [...dashboardKeys.all, 'detail', documentId] as const,
  data: (documentId: string, inputs: InputValues) => [...dashboardKeys.detail(documentId), 'data', inputs] as const,
  inputs: (documentId: string) => [...dashboardKeys.detail(documentId), 'inputs'] as const,
};
