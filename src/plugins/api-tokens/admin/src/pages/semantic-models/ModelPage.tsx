import * as React from 'react';
import { Box, Button, EmptyStateLayout, Flex, Grid, LinkButton, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise, Pencil, Trash } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { BackButton, Layouts, Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isFinished, useRunsApi, type Pagination, type Run } from '../../api/runs';
import {
  activeRunIdOf,
  isNotRefreshedYet,
  useSemanticModelsApi,
  type ModelPreview,
  type ModelSources,
  type SemanticModel,
} from '../../api/semantic-models';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ResultTable } from '../../components/ResultTable';
import { errorCodeOf, errorMessageOf, isAbort, statusOf } from '../../utils/errors';
import { ALL_MODEL_PERMISSIONS, ALL_RUN_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { Monospace } from '../tokens/components/Monospace';
import { ColumnTypeText } from './components/ColumnTypeText';
import { DateText } from './components/DateText';
import { DeleteModelDialog } from './components/DeleteModelDialog';
import { RefreshModeText } from './components/RefreshModeText';
import { RunHistory } from './components/RunHistory';
import { RunPanel } from './components/RunPanel';
import { ModelStatusBadge } from './components/StatusBadges';

const POLL_MS = 1000;
const HISTORY_PAGE_SIZE = 10;
const PREVIEW_LIMIT = 50;
/** Without `runs.read` the page polls the model instead, for at most this many seconds. */
const MODEL_POLL_LIMIT = 300;

type PreviewState =
  | { state: 'loading' }
  | { state: 'ready'; preview: ModelPreview }
  | { state: 'empty' }
  | { state: 'error'; message: string };

const Card = ({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) => (
  <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} data-testid={testId}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);

const Detail = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    {children}
  </Flex>
);

/** One semantic model: its definition, "Refresh now" with the live run, the run history and a data preview. */
export const ModelPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const { formatMessage, formatNumber } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
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

  const [model, setModel] = React.useState<SemanticModel | null>(null);
  const [contentTypes, setContentTypes] = React.useState<ModelSources['contentTypes']>([]);
  const [isLoading, setIsLoading] = React.useState(true);
  const [loadError, setLoadError] = React.useState<'not-found' | 'error' | null>(null);
  const [preview, setPreview] = React.useState<PreviewState>({ state: 'loading' });
  const [history, setHistory] = React.useState<{ runs: Run[]; pagination: Pagination | null }>({
    runs: [],
    pagination: null,
  });
  const [historyPage, setHistoryPage] = React.useState(1);
  /** The run being followed (polled until it finishes). */
  const [liveRunId, setLiveRunId] = React.useState<string | null>(null);
  const [liveRun, setLiveRun] = React.useState<Run | null>(null);
  /** Without runs.read: the model as it was when "Refresh now" was clicked, polled until it changes. */
  const [waitingSince, setWaitingSince] = React.useState<SemanticModel | null>(null);
  const [isRefreshing, setIsRefreshing] = React.useState(false);
  const [deleting, setDeleting] = React.useState(false);
  /** The run whose cancel is being confirmed. */
  const [cancelling, setCancelling] = React.useState<Run | null>(null);

  const loadModel = React.useCallback(async () => {
    const next = await api.getModel(documentId);
    setModel(next);
    return next;
  }, [api, documentId]);

  const loadPreview = React.useCallback(async () => {
    try {
      setPreview({ state: 'ready', preview: await api.previewModel(documentId, PREVIEW_LIMIT) });
    } catch (error) {
      if (isAbort(error)) return;
      if (isNotRefreshedYet(error)) setPreview({ state: 'empty' });
      else
        setPreview({
          state: 'error',
          message: errorMessageOf(error, t('models.preview.error', 'The preview could not be loaded')),
        });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, documentId]);

  const loadHistory = React.useCallback(
    async (page: number) => {
      if (!canReadRuns) return null;
      try {
        const { data, meta } = await runsApi.listRuns({
          kind: 'refresh',
          targetId: documentId,
          page,
          pageSize: HISTORY_PAGE_SIZE,
        });
        setHistory({ runs: data, pagination: meta?.pagination ?? null });
        return data;
      } catch (error) {
        if (!isAbort(error)) {
          toggleNotification({
            type: 'danger',
            message: errorMessageOf(error, t('models.history.error', 'The run history could not be loaded')),
          });
        }
        return null;
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [runsApi, documentId, canReadRuns, toggleNotification]
  );

  // The model and its preview.
  React.useEffect(() => {
    let active = true;
    setIsLoading(true);
    Promise.all([loadModel(), api.listSources().catch(() => ({ types: [], contentTypes: [] }) as ModelSources)])
      .then(([, sources]) => {
        if (!active) return;
        setContentTypes(sources.contentTypes);
        void loadPreview();
      })
      .catch((error) => {
        if (!active || isAbort(error)) return;
        setLoadError(statusOf(error) === 404 ? 'not-found' : 'error');
        if (statusOf(error) !== 404) {
          toggleNotification({
            type: 'danger',
            message: errorMessageOf(error, t('models.page.loadError', 'The semantic model could not be loaded')),
          });
        }
      })
      .finally(() => active && setIsLoading(false));
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, loadModel, loadPreview, toggleNotification]);

  // The run history; on first load, follow a run that is still queued or running.
  const followedOnLoad = React.useRef(false);
  React.useEffect(() => {
    if (isLoadingRunPermissions || !canReadRuns) return;
    let active = true;
    loadHistory(historyPage).then((runs) => {
      if (!active || followedOnLoad.current || !runs) return;
      followedOnLoad.current = true;
      const pending = runs.find((run) => !isFinished(run));
      if (pending) setLiveRunId(pending.id);
    });
    return () => {
      active = false;
    };
  }, [loadHistory, historyPage, canReadRuns, isLoadingRunPermissions]);

  const refreshAll = React.useCallback(async () => {
    await Promise.all([loadModel().catch(() => null), loadPreview(), loadHistory(historyPage)]);
  }, [loadModel, loadPreview, loadHistory, historyPage]);

  // Poll the followed run every second until it finishes, then reload the model, preview and history.
  React.useEffect(() => {
    if (!liveRunId) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const tick = async () => {
      try {
        const run = await runsApi.getRun(liveRunId);
        if (!active) return;
        failures = 0;
        setLiveRun(run);
        if (isFinished(run)) {
          await refreshAll();
          if (!active) return;
          setLiveRunId(null);
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
                    t(
                      `models.run.${run.status}`,
                      `The refresh ${run.status === 'failed' ? 'failed' : 'was cancelled'}`
                    ),
                }
          );
          return;
        }
      } catch (error) {
        if (!active || isAbort(error)) return;
        failures += 1;
        if (failures >= 5) {
          setLiveRunId(null);
          toggleNotification({
            type: 'danger',
            message: errorMessageOf(error, t('models.run.pollError', 'The refresh status could not be loaded')),
          });
          return;
        }
      }
      timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      active = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [liveRunId, runsApi, refreshAll, toggleNotification]);

  // Without runs.read: poll the model until its refresh is over.
  React.useEffect(() => {
    if (!waitingSince) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;
    const tick = async () => {
      polls += 1;
      try {
        const next = await loadModel();
        if (!active) return;
        const changed =
          next.status !== 'refreshing' &&
          (next.lastRefreshedAt !== waitingSince.lastRefreshedAt ||
            (next.status === 'failed' && next.lastError !== waitingSince.lastError));
        if (changed || polls >= MODEL_POLL_LIMIT) {
          setWaitingSince(null);
          await loadPreview();
          return;
        }
      } catch (error) {
        if (!active || isAbort(error)) return;
      }
      timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [waitingSince, loadModel, loadPreview]);

  const handleRefresh = async () => {
    if (!model) return;
    setIsRefreshing(true);
    try {
      const run = await api.refreshModel(model.documentId);
      if (canReadRuns) {
        setLiveRun(run);
        setLiveRunId(run.id);
        void loadHistory(historyPage);
      } else {
        setWaitingSince(model);
        toggleNotification({ type: 'info', message: t('models.run.queued', 'Refresh queued') });
      }
    } catch (error) {
      const runId = activeRunIdOf(error);
      if (runId) {
        // A refresh is already queued or running: follow it.
        if (canReadRuns) setLiveRunId(runId);
        else setWaitingSince(model);
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
      setLiveRun(run);
      setLiveRunId(run.id);
      if (!isFinished(run)) {
        toggleNotification({
          type: 'info',
          message: t('runs.cancel.pending', 'Cancel requested: the refresh stops at its next page.'),
        });
      }
    } catch (error) {
      if (errorCodeOf(error) === 'RUN_FINISHED') {
        toggleNotification({ type: 'info', message: t('runs.cancel.finished', 'The run had already finished.') });
        await refreshAll();
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

  const handleDelete = async () => {
    if (!model) return;
    try {
      await api.deleteModel(model.documentId);
      toggleNotification({
        type: 'success',
        message: t('models.delete.success', '“{name}” was deleted', { name: model.name }),
      });
      setDeleting(false);
      navigate('..', { replace: true });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(error, t('models.delete.error', 'The semantic model could not be deleted')),
      });
    }
  };

  if (isLoading || isLoadingPermissions) return <Page.Loading />;
  if (loadError === 'not-found') return <Page.NoData />;
  if (loadError || !model) return <Page.Error />;

  const isBusy = Boolean(liveRunId) || Boolean(waitingSince);
  const panelRun = liveRun ?? history.runs[0] ?? null;
  const source = model.source as { type: string; uid?: string; fields?: string[] };
  const contentType = contentTypes.find((candidate) => candidate.uid === source.uid);
  const fieldTypes = new Map((model.columns ?? contentType?.fields ?? []).map((column) => [column.name, column.type]));

  return (
    <Page.Main>
      <Page.Title>{model.name}</Page.Title>
      <Layouts.Header
        title={model.name}
        secondaryAction={<ModelStatusBadge status={model.status} />}
        subtitle={
          contentType
            ? t('models.page.subtitle', 'Snapshot of {contentType}', { contentType: contentType.displayName })
            : undefined
        }
        navigationAction={<BackButton fallback=".." />}
        primaryAction={
          <Flex gap={2}>
            {canDelete ? (
              <Button variant="danger-light" size="S" startIcon={<Trash />} onClick={() => setDeleting(true)}>
                {t('models.page.delete', 'Delete')}
              </Button>
            ) : null}
            {canUpdate ? (
              <LinkButton tag={Link} to="edit" variant="secondary" size="S" startIcon={<Pencil />}>
                {t('models.page.edit', 'Edit')}
              </LinkButton>
            ) : null}
            {canRefresh ? (
              <Button size="S" startIcon={<ArrowClockwise />} loading={isRefreshing || isBusy} onClick={handleRefresh}>
                {t('models.page.refresh', 'Refresh now')}
              </Button>
            ) : null}
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Grid.Root gap={6}>
            <Grid.Item col={canReadRuns ? 6 : 12} s={12} direction="column" alignItems="stretch">
              <Card title={t('models.page.details', 'Definition')} testId="model-details">
                <Grid.Root gap={5}>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Detail label={t('models.page.source', 'Source')}>
                      <Typography textColor="neutral800">
                        {contentType?.displayName ?? source.uid ?? source.type}
                      </Typography>
                      {source.uid ? (
                        <Monospace variant="pi" textColor="neutral600">
                          {source.uid}
                        </Monospace>
                      ) : null}
                    </Detail>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Detail label={t('models.page.refreshMode', 'Refresh mode')}>
                      <RefreshModeText model={model} />
                    </Detail>
                  </Grid.Item>
                  <Grid.Item col={12} direction="column" alignItems="stretch">
                    <Detail label={t('models.page.fields', 'Fields')}>
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
                    </Detail>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Detail label={t('models.page.lastRefresh', 'Last refresh')}>
                      <DateText date={model.lastRefreshedAt} mode="both" data-testid="model-last-refresh" />
                    </Detail>
                  </Grid.Item>
                  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                    <Detail label={t('models.page.rowCount', 'Rows')}>
                      <Typography textColor="neutral800" fontWeight="bold" data-testid="model-row-count">
                        {formatNumber(model.rowCount)}
                      </Typography>
                    </Detail>
                  </Grid.Item>
                  {model.lastError ? (
                    <Grid.Item col={12} direction="column" alignItems="stretch">
                      <Detail label={t('models.page.lastError', 'Last error')}>
                        <Typography textColor="danger600" data-testid="model-last-error">
                          {model.lastError}
                        </Typography>
                      </Detail>
                    </Grid.Item>
                  ) : null}
                </Grid.Root>
              </Card>
            </Grid.Item>
            {canReadRuns ? (
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <RunPanel
                  run={panelRun}
                  isLive={Boolean(liveRunId)}
                  onCancel={canCancelRuns ? setCancelling : undefined}
                />
              </Grid.Item>
            ) : null}
          </Grid.Root>

          {canReadRuns ? (
            <Card title={t('models.history.title', 'Run history')} testId="run-history">
              <RunHistory
                runs={history.runs}
                pagination={history.pagination}
                onPageChange={setHistoryPage}
                onCancel={canCancelRuns ? setCancelling : undefined}
              />
            </Card>
          ) : null}

          <Card title={t('models.preview.title', 'Data preview')} testId="model-preview">
            {preview.state === 'ready' ? (
              <Flex direction="column" alignItems="stretch" gap={2}>
                <Typography variant="pi" textColor="neutral600">
                  {t('models.preview.caption', 'The first {shown} of {total} rows of the current snapshot.', {
                    shown: formatNumber(preview.preview.rows.length),
                    total: formatNumber(model.rowCount),
                  })}
                </Typography>
                <ResultTable columns={preview.preview.columns} rows={preview.preview.rows} testId="preview-table" />
              </Flex>
            ) : preview.state === 'empty' ? (
              <EmptyStateLayout
                icon={<EmptyDocuments width="10rem" />}
                content={t('models.preview.empty', 'No data yet: this model has not been refreshed.')}
              />
            ) : preview.state === 'error' ? (
              <Typography textColor="danger600">{preview.message}</Typography>
            ) : (
              <Flex justifyContent="center" padding={6}>
                <Loader>{t('models.loading', 'Loading')}</Loader>
              </Flex>
            )}
          </Card>
        </Flex>
      </Layouts.Content>
      <DeleteModelDialog model={deleting ? model : null} onCancel={() => setDeleting(false)} onConfirm={handleDelete} />
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
