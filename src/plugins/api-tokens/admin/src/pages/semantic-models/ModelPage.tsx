import * as React from 'react';
import { Button, EmptyStateLayout, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useQuery, useQueryClient } from 'react-query';
import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';
import { activeRunIdOf, isFinished, runKeys, useRunsApi, type Run, type RunQuery } from '../../api/runs';
import { isNotRefreshedYet, modelKeys, useSemanticModelsApi, type SemanticModel } from '../../api/semantic-models';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ResultTable } from '../../components/ResultTable';
import { errorCodeOf, errorMessageOf, isAbort, statusOf } from '../../utils/errors';
import { ALL_MODEL_PERMISSIONS, ALL_RUN_PERMISSIONS } from '../../permissions';
import { DocumentHeader } from '../../components/DocumentHeader';
import { DetailItem } from '../../components/DetailItem';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { Monospace } from '../../components/Monospace';
import { ColumnTypeText } from './components/ColumnTypeText';
import { DateText } from '../../components/DateText';
import { DeleteModelDialog } from './components/DeleteModelDialog';
import { useDeleteModel } from './useDeleteModel';
import { RefreshModeText } from './components/RefreshModeText';
import { RunHistory } from '../../components/RunHistory';
import { RunPanel } from './components/RunPanel';
import { ModelStatusBadge } from './components/ModelStatusBadge';

const POLL_MS = 1000;
/** The live run stops being followed after this many failed polls in a row. */
const POLL_FAILURES = 5;
const HISTORY_PAGE_SIZE = 10;
const PREVIEW_LIMIT = 50;
/** Without `runs.read` the page polls the model instead, for at most this long. */
const MODEL_POLL_LIMIT_MS = 300_000;

/** One semantic model: its definition, "Refresh now" with the live run, the run history and a data preview. */
export const ModelPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const { formatMessage, formatNumber } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const notifyLoadError = useNotifyLoadError();
  const api = useSemanticModelsApi();
  const runsApi = useRunsApi();
  const {
    isLoading: isLoadingPermissions,
    allowedActions: { canUpdate, canDelete, canRefresh },
  } = useRBAC(ALL_MODEL_PERMISSIONS);
  const {
    isLoading: isLoadingRunPermissions,
    allowedActions: { canRead: canReadRuns, canCancel: canCancelRuns },
  } = useRBAC(ALL_RUN_PERMISSIONS);
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const [historyPage, setHistoryPage] = React.useState(1);
  /** The run the panel follows: polled while it is queued or running. */
  const [followedRunId, setFollowedRunId] = React.useState<string | null>(null);
  /** Without runs.read: the model as it was when "Refresh now" was clicked, polled until it changes. */
  const [waiting, setWaiting] = React.useState<{ since: SemanticModel; at: number } | null>(null);
  const [isRefreshing, setIsRefreshing] = React.useState(false);
  const { deleting, setDeleting, confirmDelete } = useDeleteModel(() => navigate('..', { replace: true }));
  /** The run whose cancel is being confirmed. */
  const [cancelling, setCancelling] = React.useState<Run | null>(null);
  /** Runs whose end was announced, so a refetch of a finished run does not announce it again. */
  const announced = React.useRef(new Set<string>());
  const followedOnLoad = React.useRef(false);

  const modelKey = modelKeys.detail(documentId);
  const historyQuery: RunQuery = {
    kind: 'refresh',
    targetId: documentId,
    page: historyPage,
    pageSize: HISTORY_PAGE_SIZE,
  };

  /** After a run: the model, its preview (under the model's key) and every run history. */
  const reloadAfterRun = React.useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries(modelKeys.detail(documentId)),
        queryClient.invalidateQueries(runKeys.lists()),
      ]),
    [queryClient, documentId]
  );

  const modelQuery = useQuery(modelKey, () => api.getModel(documentId), {
    retry: retryUnlessClientError,
    // Without runs.read, the model itself tells when the refresh is over.
    refetchInterval: waiting ? POLL_MS : false,
    onSuccess: (next) => {
      if (!waiting) return;
      const changed =
        next.status !== 'refreshing' &&
        (next.lastRefreshedAt !== waiting.since.lastRefreshedAt ||
          (next.status === 'failed' && next.lastError !== waiting.since.lastError));
      if (changed || Date.now() - waiting.at > MODEL_POLL_LIMIT_MS) {
        setWaiting(null);
        void queryClient.invalidateQueries([...modelKey, 'preview']);
      }
    },
    onError: (error) => {
      if (statusOf(error) === 404 || isAbort(error)) return;
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(error, t('models.page.loadError', 'The semantic model could not be loaded')),
      });
    },
  });
  const model = modelQuery.data;

  const sourcesQuery = useQuery(modelKeys.sources(), () => api.listSources(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
  });
  const contentTypes = sourcesQuery.data?.contentTypes ?? [];

  const previewQuery = useQuery(
    [...modelKey, 'preview', PREVIEW_LIMIT],
    () => api.previewModel(documentId, PREVIEW_LIMIT),
    {
      enabled: Boolean(model),
      retry: retryUnlessClientError,
    }
  );

  const historyResult = useQuery(runKeys.list(historyQuery), () => runsApi.listRuns(historyQuery), {
    enabled: !isLoadingRunPermissions && canReadRuns,
    keepPreviousData: true,
    retry: retryUnlessClientError,
    onSuccess: ({ data }) => {
      // On first load, follow a run that is still queued or running.
      if (followedOnLoad.current) return;
      followedOnLoad.current = true;
      const pending = data.find((run) => !isFinished(run));
      if (pending) setFollowedRunId(pending.id);
    },
    onError: notifyLoadError(t('models.history.error', 'The run history could not be loaded')),
  });
  const history = historyResult.data;

  // The followed run, every second until it finishes; then the model, preview and history are reloaded.
  const liveRunQuery = useQuery(runKeys.detail(followedRunId ?? ''), () => runsApi.getRun(followedRunId!), {
    enabled: Boolean(followedRunId),
    refetchInterval: (run, query) => (query.state.status === 'error' || (run && isFinished(run)) ? false : POLL_MS),
    // Five failed polls in a row end the following.
    retry: POLL_FAILURES - 1,
    retryDelay: POLL_MS,
    onSuccess: (run) => {
      if (!isFinished(run) || announced.current.has(run.id)) return;
      announced.current.add(run.id);
      void reloadAfterRun();
      toggleNotification(
        run.status === 'succeeded'
          ? {
              type: 'success',
              message: t('models.run.succeeded', 'Refreshed: {rows} rows', {
                rows: formatNumber(run.stats?.rows ?? 0),
              }),
            }
          : {
              type: run.status === 'failed' ? 'danger' : 'warning',
              message:
                run.error ??
                t(`models.run.${run.status}`, `The refresh ${run.status === 'failed' ? 'failed' : 'was cancelled'}`),
            }
      );
    },
    onError: (error) => {
      if (isAbort(error)) return;
      setFollowedRunId(null);
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(error, t('models.run.pollError', 'The refresh status could not be loaded')),
      });
    },
  });
  const liveRun = followedRunId ? (liveRunQuery.data ?? null) : null;

  /** Follows `run`: shown at once, then polled until it finishes. */
  const follow = (run: Run) => {
    announced.current.delete(run.id);
    queryClient.setQueryData(runKeys.detail(run.id), run);
    setFollowedRunId(run.id);
  };

  const handleRefresh = async () => {
    if (!model) return;
    setIsRefreshing(true);
    try {
      const run = await api.refreshModel(model.documentId);
      if (canReadRuns) {
        follow(run);
        void queryClient.invalidateQueries(runKeys.lists());
      } else {
        setWaiting({ since: model, at: Date.now() });
        toggleNotification({ type: 'info', message: t('models.run.queued', 'Refresh queued') });
      }
    } catch (error) {
      const runId = activeRunIdOf(error);
      if (runId) {
        // A refresh is already queued or running: follow it.
        if (canReadRuns) {
          announced.current.delete(runId);
          setFollowedRunId(runId);
        } else setWaiting({ since: model, at: Date.now() });
        toggleNotification({
          type: 'info',
          message: t('models.run.alreadyActive', 'A refresh is already in progress; showing it.'),
        });
      } else if (!isAbort(error)) {
        toggleNotification({
          type: 'danger',
          message: errorMessageOf(error, t('models.run.error', 'The refresh could not be started')),
        });
      }
    } finally {
      setIsRefreshing(false);
    }
  };

  // Follows the run after the cancel: the poll reports it once it is cancelled (a running one stops at its next page).
  const handleCancelRun = async () => {
    if (!cancelling) return;
    try {
      const run = await runsApi.cancelRun(cancelling.id);
      follow(run);
      void queryClient.invalidateQueries(runKeys.lists());
      if (!isFinished(run)) {
        toggleNotification({
          type: 'info',
          message: t('runs.cancel.pending', 'Cancel requested: the refresh stops at its next page.'),
        });
      }
    } catch (error) {
      if (errorCodeOf(error) === 'RUN_FINISHED') {
        toggleNotification({ type: 'info', message: t('runs.cancel.finished', 'The run had already finished.') });
        await reloadAfterRun();
      } else if (!isAbort(error)) {
        toggleNotification({
          type: 'danger',
          message: errorMessageOf(error, t('runs.cancel.error', 'The run could not be cancelled')),
        });
      }
    } finally {
      setCancelling(null);
    }
  };

  if (modelQuery.isLoading || isLoadingPermissions) return <Page.Loading />;
  if (statusOf(modelQuery.error) === 404) return <Page.NoData />;
  if (!model) return <Page.Error />;

  const isLive = Boolean(liveRun && !isFinished(liveRun));
  const isBusy = isLive || Boolean(waiting);
  const panelRun = liveRun ?? history?.data[0] ?? null;
  const source = model.source as { type: string; uid?: string; fields?: string[] };
  const contentType = contentTypes.find((candidate) => candidate.uid === source.uid);
  const fieldTypes = new Map((model.columns ?? contentType?.fields ?? []).map((column) => [column.name, column.type]));

  return (
    <Page.Main>
      <DocumentHeader
        title={model.name}
        status={<ModelStatusBadge status={model.status} />}
        subtitle={
          contentType
            ? t('models.page.subtitle', 'Snapshot of {contentType}', { contentType: contentType.displayName })
            : undefined
        }
        deleteLabel={t('models.page.delete', 'Delete')}
        onDelete={canDelete ? () => setDeleting(model) : undefined}
        editLabel={t('models.page.edit', 'Edit')}
        canEdit={canUpdate}
      >
        {canRefresh ? (
          <Button size="S" startIcon={<ArrowClockwise />} loading={isRefreshing || isBusy} onClick={handleRefresh}>
            {t('models.page.refresh', 'Refresh now')}
          </Button>
        ) : null}
      </DocumentHeader>
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Grid.Root gap={6}>
            <Grid.Item col={canReadRuns ? 6 : 12} s={12} direction="column" alignItems="stretch">
              <Card title={t('models.page.details', 'Definition')} testId="model-details">
                <Grid.Root gap={5}>
                  <DetailItem col={6} s={12} label={t('models.page.source', 'Source')}>
                    <Typography textColor="neutral800">
                      {contentType?.displayName ?? source.uid ?? source.type}
                    </Typography>
                    {source.uid ? (
                      <Monospace variant="pi" textColor="neutral600">
                        {source.uid}
                      </Monospace>
                    ) : null}
                  </DetailItem>
                  <DetailItem col={6} s={12} label={t('models.page.refreshMode', 'Refresh mode')}>
                    <RefreshModeText model={model} />
                  </DetailItem>
                  <DetailItem col={12} label={t('models.page.fields', 'Fields')}>
                    <Flex gap={2} wrap="wrap">
                      {(source.fields ?? []).map((field) => (
                        <Flex
                          key={field}
                          data-field={field}
                          gap={2}
                          background="neutral100"
                          borderColor="neutral200"
                          hasRadius
                          paddingTop={1}
                          paddingBottom={1}
                          paddingLeft={2}
                          paddingRight={2}
                        >
                          <Monospace variant="pi" textColor="neutral800">
                            {field}
                          </Monospace>
                          {fieldTypes.get(field) ? <ColumnTypeText type={fieldTypes.get(field)!} /> : null}
                        </Flex>
                      ))}
                    </Flex>
                  </DetailItem>
                  <DetailItem col={6} s={12} label={t('models.page.lastRefresh', 'Last refresh')}>
                    <DateText date={model.lastRefreshedAt} mode="both" data-testid="model-last-refresh" />
                  </DetailItem>
                  <DetailItem col={6} s={12} label={t('models.page.rowCount', 'Rows')}>
                    <Typography textColor="neutral800" fontWeight="bold" data-testid="model-row-count">
                      {formatNumber(model.rowCount)}
                    </Typography>
                  </DetailItem>
                  {model.lastError ? (
                    <DetailItem col={12} label={t('models.page.lastError', 'Last error')}>
                      <Typography textColor="danger600" data-testid="model-last-error">
                        {model.lastError}
                      </Typography>
                    </DetailItem>
                  ) : null}
                </Grid.Root>
              </Card>
            </Grid.Item>
            {canReadRuns ? (
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <RunPanel run={panelRun} isLive={isLive} onCancel={canCancelRuns ? setCancelling : undefined} />
              </Grid.Item>
            ) : null}
          </Grid.Root>

          {canReadRuns ? (
            <Card title={t('models.history.title', 'Run history')} testId="run-history">
              <RunHistory
                runs={history?.data ?? []}
                pagination={history?.meta?.pagination ?? null}
                onPageChange={setHistoryPage}
                onCancel={canCancelRuns ? setCancelling : undefined}
              />
            </Card>
          ) : null}

          <Card title={t('models.preview.title', 'Data preview')} testId="model-preview">
            {previewQuery.data ? (
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Typography variant="pi" textColor="neutral600">
                  {t('models.preview.caption', 'The first {shown} of {total} rows of the current snapshot.', {
                    shown: formatNumber(previewQuery.data.rows.length),
                    total: formatNumber(model.rowCount),
                  })}
                </Typography>
                <ResultTable columns={previewQuery.data.columns} rows={previewQuery.data.rows} testId="preview-table" />
              </Flex>
            ) : isNotRefreshedYet(previewQuery.error) ? (
              <EmptyStateLayout
                icon={<EmptyDocuments width="10rem" />}
                content={t('models.preview.empty', 'No data yet: this model has not been refreshed.')}
              />
            ) : previewQuery.isError ? (
              <Typography textColor="danger600">
                {errorMessageOf(previewQuery.error, t('models.preview.error', 'The preview could not be loaded'))}
              </Typography>
            ) : (
              <Flex justifyContent="center" padding={6}>
                <Loader>{t('models.loading', 'Loading')}</Loader>
              </Flex>
            )}
          </Card>
        </Flex>
      </Layouts.Content>
      <DeleteModelDialog model={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
      <ConfirmDialog
        open={Boolean(cancelling)}
        title={t('runs.cancel.title', 'Cancel this run?')}
        description={t(
          'runs.cancel.description',
          'A queued run is cancelled at once; a running refresh stops at its next page. The model keeps serving its current snapshot.'
        )}
        cancelLabel={t('runs.cancel.keep', 'Keep it')}
        confirmLabel={t('runs.cancel', 'Cancel run')}
        onCancel={() => setCancelling(null)}
        onConfirm={handleCancelRun}
      />
    </Page.Main>
  );
};
