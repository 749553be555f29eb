import * as React from 'react';
import { useQuery, useQueryClient } from 'react-query';
import { isFinished, runKeys, useRunsApi, type Run, type RunQuery } from '../../api/runs';
import { subscriptionKeys, useSubscriptionsApi, type Subscription } from '../../api/subscriptions';
import { retryUnlessClientError } from '../../utils/queryRetry';

export const POLL_MS = 1000;
const HISTORY_PAGE_SIZE = 10;

/** A run as far as this page knows it: from the run history, or the subscription's `lastRun`. */
export type KnownRun = Pick<Run, 'id' | 'status'> & Partial<Run>;

/**
 * A subscription's run history (with `runs.read`), the chosen run (the latest unless one was picked) and its
 * per-recipient outcomes. Each is polled while a run is queued or running; when one ends, the subscription (last
 * run, next run) and the outcomes are loaded once more.
 */
export const useSubscriptionRuns = (
  documentId: string,
  subscription: Subscription | undefined,
  canReadRuns: boolean
) => {
  const queryClient = useQueryClient();
  const runsApi = useRunsApi();
  const api = useSubscriptionsApi();
  const [page, setPage] = React.useState(1);
  const [chosenRunId, setChosenRunId] = React.useState<string | null>(null);

  const historyQuery: RunQuery = { kind: 'subscription', targetId: documentId, page, pageSize: HISTORY_PAGE_SIZE };
  const history = useQuery(runKeys.list(historyQuery), () => runsApi.listRuns(historyQuery), {
    enabled: canReadRuns && Boolean(documentId),
    keepPreviousData: true,
    retry: retryUnlessClientError,
    refetchInterval: (data) => (data?.data.some((run) => !isFinished(run)) ? POLL_MS : false),
  });
  const runs = history.data?.data ?? [];
  const lastRun = subscription?.lastRun ?? null;

  const selectedRunId = chosenRunId ?? (page === 1 ? runs[0]?.id : undefined) ?? lastRun?.id ?? null;
  const selectedRun: KnownRun | null =
    runs.find((run) => run.id === selectedRunId) ?? (lastRun && lastRun.id === selectedRunId ? lastRun : null);
  const selectedActive = Boolean(selectedRun && !isFinished(selectedRun));

  const deliveries = useQuery(
    subscriptionKeys.deliveries(documentId, selectedRunId),
    () => api.listDeliveries(documentId, selectedRunId ?? undefined),
    {
      enabled: Boolean(documentId && selectedRunId),
      retry: retryUnlessClientError,
      refetchInterval: selectedActive ? POLL_MS : false,
    }
  );

  // A run seen queued or running, or just sent, that is now over: what it changed (last run, next run, the final
  // outcomes, all under the subscription's key) is loaded again. A fast run may never be seen active.
  const statusKey = [...runs, ...(lastRun && !runs.some((run) => run.id === lastRun.id) ? [lastRun] : [])]
    .map((run) => `${run.id}:${run.status}`)
    .sort()
    .join(',');
  const seen = React.useRef(new Map<string, string>());
  const followed = React.useRef(new Set<string>());
  React.useEffect(() => {
    let ended = false;
    for (const entry of statusKey.split(',').filter(Boolean)) {
      const [id, status] = entry.split(':') as [string, Run['status']];
      const before = seen.current.get(id);
      const changed = before === undefined ? followed.current.has(id) : before !== status;
      if (changed && isFinished({ status })) {
        ended = true;
        followed.current.delete(id);
      }
      seen.current.set(id, status);
    }
    if (!ended) return;
    void queryClient.invalidateQueries(subscriptionKeys.detail(documentId));
    void queryClient.invalidateQueries(subscriptionKeys.list());
  }, [statusKey, documentId, queryClient]);

  /** After "Send now" (or its 409 naming the active run): that run is chosen and every run list reloads. */
  const follow = (runId: string) => {
    followed.current.add(runId);
    seen.current.delete(runId);
    setChosenRunId(runId);
    setPage(1);
    void queryClient.invalidateQueries(runKeys.lists());
    void queryClient.invalidateQueries(subscriptionKeys.detail(documentId));
  };

  return {
    history,
    page,
    setPage,
    selectedRunId,
    selectedRun,
    selectedActive,
    choose: (run: Run) => setChosenRunId(run.id),
    follow,
    deliveries,
  };
};
