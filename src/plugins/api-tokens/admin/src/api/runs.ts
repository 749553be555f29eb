import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Run, RunKind, RunStatus } from '../../../server/src/jobs/types';

export type { Run, RunKind, RunStatus, RunTrigger } from '../../../server/src/jobs/types';

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export const FINISHED_RUN_STATUSES: RunStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isFinished = (run: Pick<Run, 'status'>) => FINISHED_RUN_STATUSES.includes(run.status);

const BASE = '/api-tokens';

/** Calls to the plugin's job-run admin routes (`plugin::api-tokens.runs.read`). */
export const useRunsApi = () => {
  const { get } = useFetchClient();

  return React.useMemo(
    () => ({
      getRun: async (runId: string) =>
        (await get<{ data: Run }>(`${BASE}/runs/${encodeURIComponent(runId)}`)).data.data,
      /** Newest first. */
      listRuns: async (query: {
        kind?: RunKind;
        targetId?: string;
        status?: RunStatus;
        page?: number;
        pageSize?: number;
      }) => (await get<{ data: Run[]; meta: { pagination: Pagination } }>(`${BASE}/runs`, { params: query })).data,
    }),
    [get]
  );
};
