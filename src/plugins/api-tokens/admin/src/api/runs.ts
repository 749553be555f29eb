import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

export type RunKind = 'refresh' | 'subscription';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type RunTrigger = 'api' | 'schedule' | 'admin';

export interface Run {
  id: string;
  kind: RunKind;
  targetId: string;
  status: RunStatus;
  trigger: RunTrigger;
  scheduledFor: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempt: number;
  error: string | null;
  stats: { rows?: number; recipients?: number; bytes?: number };
}

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
      listRuns: async (query: { kind?: RunKind; targetId?: string; status?: RunStatus; page?: number; pageSize?: number }) =>
        (await get<{ data: Run[]; meta: { pagination: Pagination } }>(`${BASE}/runs`, { params: query })).data,
    }),
    [get]
  );
};
