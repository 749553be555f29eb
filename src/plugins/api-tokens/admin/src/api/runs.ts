import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import type { Run, SubscriptionBody } from '../../../server/src/shared/types';
import { errorCodeOf, errorDetailsOf } from '../utils/errors';

export type { Run } from '../../../server/src/shared/types';
export type RunStatus = Run['status'];
export type RunTrigger = Run['trigger'];
/** A job's schedule: a five-field cron on an IANA zone's wall clock. */
export type Schedule = NonNullable<SubscriptionBody['schedule']>;

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export const FINISHED_RUN_STATUSES: RunStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isFinished = (run: Pick<Run, 'status'>) => FINISHED_RUN_STATUSES.includes(run.status);

const BASE = '/api-tokens';
const runPath = (runId: string) => `${BASE}/runs/${encodeURIComponent(runId)}`;

/** Calls to the plugin's job-run admin routes (`plugin::api-tokens.runs.read`, `runs.cancel`). */
export const useRunsApi = () => {
  const { get, post } = useFetchClient();

  return React.useMemo(
    () => ({
      getRun: async (runId: string) => (await get<{ data: Run }>(runPath(runId))).data.data,
      /** Newest first. */
      listRuns: async (query: {
        kind?: Run['kind'];
        targetId?: string;
        status?: RunStatus;
        trigger?: RunTrigger;
        page?: number;
        pageSize?: number;
      }) => (await get<{ data: Run[]; meta: { pagination: Pagination } }>(`${BASE}/runs`, { params: query })).data,
      /** A queued run is cancelled at once, a running one at its next page; 409 `RUN_FINISHED` once it is over. */
      cancelRun: async (runId: string) => (await post<{ data: Run }>(`${runPath(runId)}/cancel`)).data.data,
      /** The next `count` occurrences of a cron in a time zone, as ISO strings (any signed-in admin may ask). */
      schedulePreview: async (cron: string, timezone: string, count = 5, signal?: AbortSignal) =>
        (
          await get<{ data: { next: string[] } }>(`${BASE}/schedule-preview`, {
            params: { cron, timezone, count },
            signal,
          })
        ).data.data.next,
    }),
    [get, post]
  );
};

export type RunQuery = Parameters<ReturnType<typeof useRunsApi>['listRuns']>[0];

/** react-query keys of the run queries; invalidating `runKeys.lists()` refetches every run history. */
export const runKeys = {
  all: ['api-tokens', 'runs'] as const,
  lists: () => [...runKeys.all, 'list'] as const,
  list: (query: RunQuery) => [...runKeys.lists(), query] as const,
  detail: (runId: string) => [...runKeys.all, 'detail', runId] as const,
  schedulePreview: (cron: string, timezone: string) => [...runKeys.all, 'schedule-preview', cron, timezone] as const,
};

/** The active run's id from the 409 (`RUN_ACTIVE`) a trigger answers while a run of its target is queued or running. */
export const activeRunIdOf = (error: unknown): string | null => {
  if (errorCodeOf(error) !== 'RUN_ACTIVE') return null;
  const runId = errorDetailsOf(error).runId;
  return typeof runId === 'string' && runId ? runId : null;
};
