import * as React from 'react';
import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { useSearchParams } from 'react-router-dom';
import { isFinished, runKeys, useRunsApi, type Run, type RunQuery } from '../../api/runs';
import { modelKeys, useSemanticModelsApi } from '../../api/semantic-models';
import { subscriptionKeys, useSubscriptionsApi } from '../../api/subscriptions';
import { CancelRunDialog } from '../../components/CancelRunDialog';
import { RunHistory, type RunTarget } from '../../components/RunHistory';
import { MODEL_PERMISSIONS, RUN_PERMISSIONS, SUBSCRIPTION_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { itemPath } from '../../utils/paths';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useCancelRun } from '../../utils/useCancelRun';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { RunFilters, type RunFilterValues } from './components/RunFilters';

const PAGE_SIZE = 20;
const POLL_MS = 2000;
const FILTERS = ['kind', 'status', 'trigger'] as const;

/** Every job run (model refreshes, subscription sends…), newest first, filtered in the URL, with cancel. */
export const RunsPage = () => {
  const { formatMessage } = useIntl();
  const notifyLoadError = useNotifyLoadError();
  const runsApi = useRunsApi();
  const modelsApi = useSemanticModelsApi();
  const subscriptionsApi = useSubscriptionsApi();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const {
    allowedActions: { canCancel },
  } = useRBAC(RUN_PERMISSIONS.cancel);
  const {
    allowedActions: { canRead: canReadModels },
  } = useRBAC(MODEL_PERMISSIONS.read);
  const {
    allowedActions: { canRead: canReadSubscriptions },
  } = useRBAC(SUBSCRIPTION_PERMISSIONS.read);
  const { cancelling, setCancelling, confirmCancel } = useCancelRun();

  const [searchParams, setSearchParams] = useSearchParams();
  const filters = Object.fromEntries(
    FILTERS.map((name) => [name, searchParams.get(name) || undefined])
  ) as RunFilterValues;
  const page = Math.max(1, Number(searchParams.get('page')) || 1);
  const query: RunQuery = { ...filters, page, pageSize: PAGE_SIZE };
  const setQuery = (next: RunFilterValues, nextPage = 1) => {
    const params = new URLSearchParams();
    for (const name of FILTERS) if (next[name]) params.set(name, String(next[name]));
    if (nextPage > 1) params.set('page', String(nextPage));
    setSearchParams(params, { replace: true });
  };

  const runs = useQuery(runKeys.list(query), () => runsApi.listRuns(query), {
    keepPreviousData: true,
    retry: retryUnlessClientError,
    refetchInterval: (data) => (data?.data.some((run) => !isFinished(run)) ? POLL_MS : false),
    onError: notifyLoadError(t('runs.list.loadError', 'The runs could not be loaded.')),
  });
  // Target names, for a reader who may list them; the others see the target's id.
  const models = useQuery(modelKeys.list(), () => modelsApi.listModels(), {
    enabled: canReadModels,
    retry: retryUnlessClientError,
  });
  const subscriptions = useQuery(subscriptionKeys.list(), () => subscriptionsApi.listSubscriptions(), {
    enabled: canReadSubscriptions,
    retry: retryUnlessClientError,
  });
  const names = React.useMemo(
    () =>
      new Map<string, string>([
        ...(models.data ?? []).map((model) => [`refresh:${model.documentId}`, model.name] as const),
        ...(subscriptions.data ?? []).map((item) => [`subscription:${item.documentId}`, item.name] as const),
      ]),
    [models.data, subscriptions.data]
  );
  const targetOf = (run: Run): RunTarget => {
    const name = names.get(`${run.kind}:${run.targetId}`) ?? run.targetId;
    if (run.kind === 'refresh') return { name, to: itemPath('models', run.targetId) };
    if (run.kind === 'subscription') return { name, to: itemPath('subscriptions', run.targetId) };
    return { name, to: null };
  };

  const title = t('runs.list.title', 'Runs');
  if (runs.isLoading) return <Page.Loading />;

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t(
          'runs.list.subtitle',
          'Every job run, newest first: model refreshes and subscription sends, scheduled, triggered through the API or from here.'
        )}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <RunFilters values={filters} onChange={(next) => setQuery(next)} />
          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} data-testid="runs-list">
            {runs.data ? (
              <Flex direction="column" alignItems="stretch" gap={3}>
                <Flex justifyContent="space-between">
                  <Typography variant="pi" textColor="neutral600" data-testid="runs-total">
                    {formatMessage(
                      {
                        id: getTranslation('runs.list.total'),
                        defaultMessage: '{total, plural, one {# run} other {# runs}}',
                      },
                      { total: runs.data.meta.pagination.total }
                    )}
                  </Typography>
                  {runs.isFetching ? <Loader small>{t('runs.loading', 'Loading')}</Loader> : null}
                </Flex>
                <RunHistory
                  runs={runs.data.data}
                  pagination={runs.data.meta.pagination}
                  onPageChange={(next) => setQuery(filters, next)}
                  onCancel={canCancel ? setCancelling : undefined}
                  targetOf={targetOf}
                  showDeliveries
                  emptyMessage={t('runs.list.empty', 'No runs match these filters.')}
                />
              </Flex>
            ) : (
              <Typography textColor="danger600">{t('runs.list.loadError', 'The runs could not be loaded.')}</Typography>
            )}
          </Box>
        </Flex>
      </Layouts.Content>
      <CancelRunDialog run={cancelling} onCancel={() => setCancelling(null)} onConfirm={confirmCancel} />
    </Page.Main>
  );
};
