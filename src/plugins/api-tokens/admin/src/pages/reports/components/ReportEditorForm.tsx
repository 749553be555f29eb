import * as React from 'react';
import { Box, Field, Flex, Grid, NumberInput, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import { useNavigate } from 'react-router-dom';
import { reportKeys, useReportsApi, type Report, type ReportBody, type ReportInputOptions } from '../../../api/reports';
import { modelKeys, useSemanticModelsApi, type Column } from '../../../api/semantic-models';
import { Card } from '../../../components/Card';
import { FormPage } from '../../../components/FormPage';
import { FormSection } from '../../../components/FormSection';
import { OtherErrorsAlert } from '../../../components/OtherErrorsAlert';
import { MultiSelectField, SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import { TimeZoneField } from '../../../components/TimeZoneField';
import { errorCodeOf, errorDetailsOf, fieldErrorsByPath, reportSaveError } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';
import { retryUnlessClientError } from '../../../utils/queryRetry';
import { useDebouncedValue } from '../../../utils/useDebouncedValue';
import { NUMERIC_TYPES } from '../queryOptions';
import {
  bodyOf,
  draftOf,
  emptyDraft,
  modelColumnsNamedBy,
  previewOf,
  resultColumnsOf,
  withModel,
  type ReportDraft,
  type RowIndexes,
} from '../reportDraft';
import { errorsByField, fieldKeyOf, otherErrorsOf, type ReportErrors } from '../reportErrors';
import { AggregateFields } from './AggregateFields';
import { ChartFields } from './ChartFields';
import { ColumnMissingAlert } from './ColumnMissingAlert';
import { EmbedFields } from './EmbedFields';
import { FilterFields } from './FilterFields';
import { GroupByFields } from './GroupByFields';
import { InputFields } from './InputFields';
import { ReportPreview, type PreviewResult } from './ReportPreview';
import { SortFields } from './SortFields';
import { NAME_MAX_LENGTH } from '../../../../../server/src/shared/limits';

const PREVIEW_DEBOUNCE_MS = 400;

/** A previewed result with its inputs' options, tagged with its model so another model's rows are never shown. */
type TaggedPreview = PreviewResult & { inputs: ReportInputOptions[]; semanticModel: string };

/** The report editor: the form on the left, its live preview (debounced, through react-query) on the right. */
export const ReportEditorForm = ({ report }: { report: Report | null }) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const api = useReportsApi();
  const modelsApi = useSemanticModelsApi();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const [draft, setDraft] = React.useState<ReportDraft>(() => (report ? draftOf(report) : emptyDraft()));
  const [saveErrors, setSaveErrors] = React.useState<ReportErrors>({});
  const [saveFailure, setSaveFailure] = React.useState<unknown>(null);

  const models = useQuery(modelKeys.list(), () => modelsApi.listModels(), { retry: retryUnlessClientError });
  const model = useQuery(modelKeys.detail(draft.semanticModel), () => modelsApi.getModel(draft.semanticModel), {
    enabled: Boolean(draft.semanticModel),
    retry: retryUnlessClientError,
  });
  const columns: Column[] = model.data?.columns ?? [];
  // A model that has never been refreshed has no columns yet: nothing to query.
  const modelReady = Boolean(model.data?.columns);

  // The preview follows the draft 400 ms after its last change, keyed by the body (an unchanged query is cached).
  const debouncedKey = useDebouncedValue(JSON.stringify(previewOf(draft)), PREVIEW_DEBOUNCE_MS);
  const debounced = React.useMemo(
    () => JSON.parse(debouncedKey) as { body: ReportBody; indexes: RowIndexes },
    [debouncedKey]
  );
  const preview = useQuery(
    reportKeys.preview(debounced.body),
    async ({ signal }): Promise<TaggedPreview> => ({
      ...(await api.previewReport(debounced.body, signal)),
      chart: debounced.body.chart,
      semanticModel: debounced.body.semanticModel,
    }),
    {
      enabled: Boolean(debounced.body.semanticModel) && modelReady,
      keepPreviousData: true,
      retry: retryUnlessClientError,
      staleTime: 30_000,
    }
  );
  // The last result stays up, greyed, while the next one loads or fails.
  const [lastResult, setLastResult] = React.useState<TaggedPreview | undefined>(undefined);
  React.useEffect(() => {
    if (preview.data) setLastResult(preview.data);
  }, [preview.data]);
  const shownResult = lastResult?.semanticModel === draft.semanticModel ? lastResult : undefined;

  const previewErrors = React.useMemo(
    () => (preview.isError ? errorsByField(fieldErrorsByPath(preview.error), debounced.indexes) : {}),
    [preview.isError, preview.error, debounced.indexes]
  );
  const errorOf = (key: string): string | undefined => saveErrors[key] ?? previewErrors[key];
  const otherErrors = otherErrorsOf({ ...previewErrors, ...saveErrors }, draft);
  // The columns the report names that its model no longer has: what the server said, and what the model's columns show.
  const missingColumns = [
    ...new Set([
      ...[saveFailure, preview.error]
        .filter((error) => errorCodeOf(error) === 'REPORT_COLUMN_MISSING')
        .map((error) => String(errorDetailsOf(error).column ?? '')),
      ...(modelReady
        ? modelColumnsNamedBy(draft).filter((name) => !columns.some((column) => column.name === name))
        : []),
    ]),
  ].filter(Boolean);

  /** Applies an edit and clears the save errors under the edited field (or list). */
  const edit = (change: (current: ReportDraft) => ReportDraft, edited: string) => {
    setDraft(change);
    setSaveFailure(null);
    setSaveErrors((current) => {
      const kept = Object.entries(current).filter(([key]) => key !== edited && !key.startsWith(`${edited}.`));
      return kept.length === Object.keys(current).length ? current : Object.fromEntries(kept);
    });
  };

  const save = useMutation(
    (body: ReportBody) => (report ? api.updateReport(report.documentId, body) : api.createReport(body)),
    {
      onSuccess: (saved) => {
        queryClient.setQueryData(reportKeys.detail(saved.documentId), saved);
        queryClient.invalidateQueries(reportKeys.list());
        // Its data and inputs follow the new query.
        queryClient.removeQueries([...reportKeys.detail(saved.documentId), 'data']);
        queryClient.removeQueries(reportKeys.inputs(saved.documentId));
      },
    }
  );

  const validate = (): ReportErrors => {
    const found: ReportErrors = {};
    if (!draft.name.trim()) found.name = t('reports.editor.error.name.required', 'Give the report a name');
    else if (draft.name.trim().length > NAME_MAX_LENGTH)
      found.name = t('reports.editor.error.name.max', 'The name can have at most 100 characters');
    if (!draft.semanticModel) found.semanticModel = t('reports.editor.error.model.required', 'Pick a model');
    return found;
  };

  const handleSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    const invalidMessage = t('reports.editor.error.form', 'Check the highlighted fields');
    const found = validate();
    setSaveErrors(found);
    if (Object.keys(found).length > 0) {
      toggleNotification({ type: 'warning', message: invalidMessage });
      return;
    }
    setSaveFailure(null);
    try {
      const saved = await save.mutateAsync(bodyOf(draft));
      toggleNotification({
        type: 'success',
        message: report
          ? t('reports.editor.saved', 'Saved “{name}”', { name: saved.name })
          : t('reports.editor.created', 'Created “{name}”', { name: saved.name }),
      });
      navigate(`../${saved.documentId}`, { replace: true });
    } catch (error) {
      if (errorCodeOf(error) === 'REPORT_COLUMN_MISSING') setSaveFailure(error);
      reportSaveError(error, {
        fieldOf: fieldKeyOf,
        setErrors: (errors) => setSaveErrors(errors as ReportErrors),
        notify: toggleNotification,
        invalidMessage,
        failedMessage: t('reports.editor.error.generic', 'The report could not be saved'),
      });
    }
  };

  const modelName = models.data?.find((candidate) => candidate.documentId === draft.semanticModel)?.name;
  const resultColumns = resultColumnsOf(draft);
  // A chart plots numbers: once the preview has typed the result, only its numeric columns go on the y axis.
  const previewTypes = new Map((shownResult?.columns ?? []).map((column) => [column.name, column.type]));
  const yFields = resultColumns.filter((name) => {
    const type = previewTypes.get(name);
    return !type || NUMERIC_TYPES.has(type);
  });
  const columnOptions = columns.map((column) => ({ value: column.name, label: column.name }));
  const queryDisabled = !modelReady;
  const title = report
    ? t('reports.editor.editTitle', 'Edit “{name}”', { name: report.name })
    : t('reports.editor.createTitle', 'Create a report');

  return (
    <FormPage
      title={title}
      subtitle={t(
        'reports.editor.subtitle',
        'Query a semantic model, pick how to draw the result and which inputs its readers get. The preview follows your changes.'
      )}
      backTo={report ? `../${report.documentId}` : '..'}
      submitLabel={report ? t('reports.editor.save', 'Save') : t('reports.editor.create', 'Create report')}
      isSubmitting={save.isLoading}
      onSubmit={handleSubmit}
    >
      {missingColumns.length > 0 ? <ColumnMissingAlert columns={missingColumns} /> : null}
      <OtherErrorsAlert
        title={t('reports.editor.otherErrors', 'The server refused the report')}
        closeLabel={t('reports.close', 'Close')}
        errors={otherErrors}
      />
      <Grid.Root gap={6}>
        <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
          <Flex direction="column" alignItems="stretch" gap={6}>
            <FormSection title={t('reports.editor.details', 'Details')}>
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <TextField
                    name="name"
                    required
                    label={t('reports.editor.name', 'Name')}
                    hint={t('reports.editor.name.hint', 'Unique, e.g. "Sales by region". At most 100 characters.')}
                    error={errorOf('name')}
                    value={draft.name}
                    maxLength={NAME_MAX_LENGTH}
                    onChange={(name) => edit((current) => ({ ...current, name }), 'name')}
                  />
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <SelectField
                    name="semanticModel"
                    required
                    label={t('reports.editor.model', 'Semantic model')}
                    hint={
                      models.isError || model.isError
                        ? t('reports.editor.model.loadError', 'The models could not be loaded.')
                        : t('reports.editor.model.hint', 'The snapshot the report queries.')
                    }
                    error={errorOf('semanticModel')}
                    placeholder={t('reports.editor.model.placeholder', 'Pick a model')}
                    options={(models.data ?? []).map((candidate) => ({
                      value: candidate.documentId,
                      label: candidate.name,
                    }))}
                    value={draft.semanticModel}
                    onChange={(semanticModel) => {
                      if (semanticModel === draft.semanticModel) return;
                      setSaveErrors({});
                      edit((current) => withModel(current, semanticModel), 'query');
                    }}
                  />
                </Grid.Item>
              </Grid.Root>
            </FormSection>

            <FormSection
              title={t('reports.editor.query', 'Query')}
              hint={t(
                'reports.editor.query.hint',
                'The columns to show; with a grouping, one row per group and the aggregates computed over it.'
              )}
            >
              {errorOf('query') ? (
                <Typography variant="pi" textColor="danger600" role="alert">
                  {errorOf('query')}
                </Typography>
              ) : null}
              <MultiSelectField
                name="query.columns"
                label={t('reports.editor.columns', 'Columns')}
                disabled={queryDisabled}
                error={errorOf('query.columns')}
                placeholder={t('reports.editor.pickColumns', 'Pick columns')}
                options={columnOptions}
                value={draft.columns}
                onChange={(value) => edit((current) => ({ ...current, columns: value }), 'query.columns')}
              />
              <Typography variant="sigma" textColor="neutral600" tag="h3">
                {t('reports.editor.groupBy', 'Group by')}
              </Typography>
              <GroupByFields
                rows={draft.groupBy}
                columns={columns}
                errorOf={errorOf}
                onChange={(groupBy, edited) =>
                  edit((current) => {
                    // A grouped column is shown unless taken out of the columns by hand.
                    const grouped = groupBy
                      .filter((entry) => entry.field && !entry.bucket && !current.columns.includes(entry.field))
                      .map((entry) => entry.field);
                    return { ...current, groupBy, columns: [...current.columns, ...new Set(grouped)] };
                  }, edited)
                }
              />
              <Typography variant="sigma" textColor="neutral600" tag="h3">
                {t('reports.editor.aggregates', 'Aggregates')}
              </Typography>
              <AggregateFields
                rows={draft.aggregates}
                columns={columns}
                errorOf={errorOf}
                onChange={(aggregates, edited) => edit((current) => ({ ...current, aggregates }), edited)}
              />
            </FormSection>

            <FormSection
              title={t('reports.editor.filters', 'Filters')}
              hint={t(
                'reports.editor.filters.hint',
                'Rows must match every filter. The operators offered depend on the column’s type.'
              )}
            >
              <FilterFields
                rows={draft.filters}
                columns={columns}
                errorOf={errorOf}
                onChange={(filters, edited) => edit((current) => ({ ...current, filters }), edited)}
              />
            </FormSection>

            <FormSection title={t('reports.editor.sortAndLimit', 'Sort and limit')}>
              <SortFields
                rows={draft.sort}
                fields={resultColumns}
                errorOf={errorOf}
                onChange={(sort, edited) => edit((current) => ({ ...current, sort }), edited)}
              />
              <Grid.Root gap={5}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Field.Root
                    name="query.limit"
                    error={errorOf('query.limit')}
                    hint={t('reports.editor.limit.hint', 'The most rows the report returns; empty for all of them.')}
                  >
                    <Field.Label>{t('reports.editor.limit', 'Limit')}</Field.Label>
                    <NumberInput
                      value={draft.limit}
                      step={1}
                      onValueChange={(limit: number | undefined) =>
                        edit((current) => ({ ...current, limit }), 'query.limit')
                      }
                    />
                    <Field.Hint />
                    <Field.Error />
                  </Field.Root>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <TimeZoneField
                    name="timezone"
                    label={t('reports.editor.timezone', 'Time zone')}
                    hint={t('reports.editor.timezone.hint', 'The zone date buckets are computed in; UTC when empty.')}
                    error={errorOf('timezone')}
                    value={draft.timezone}
                    noneMessage={t('reports.editor.timezone.none', 'No matching time zone')}
                    onChange={(timezone) => edit((current) => ({ ...current, timezone }), 'timezone')}
                    onClear={() => edit((current) => ({ ...current, timezone: '' }), 'timezone')}
                    clearLabel={t('reports.editor.timezone.clear', 'Use UTC')}
                  />
                </Grid.Item>
              </Grid.Root>
            </FormSection>

            <FormSection title={t('reports.editor.chart', 'Chart')}>
              <ChartFields
                chart={draft.chart}
                fields={resultColumns}
                yFields={yFields}
                errorOf={errorOf}
                onChange={(chart, edited) => edit((current) => ({ ...current, chart }), edited)}
              />
            </FormSection>

            <FormSection
              title={t('reports.editor.inputs', 'Data inputs')}
              hint={t(
                'reports.editor.inputs.hint',
                'Controls the report’s readers change; each filters the report by one column. Their options are the column’s values in the model’s current snapshot.'
              )}
            >
              <InputFields
                rows={draft.inputs}
                columns={columns}
                options={shownResult?.inputs ?? []}
                errorOf={errorOf}
                onChange={(inputs, edited) => edit((current) => ({ ...current, inputs }), edited)}
              />
            </FormSection>

            <FormSection
              title={t('reports.editor.embed', 'Embedding')}
              hint={t('reports.editor.embed.hint', 'Lets other sites show the report in a frame.')}
            >
              <EmbedFields
                embed={draft.embed}
                embedId={report?.embed?.embedId}
                errorOf={errorOf}
                onChange={(embed, edited) => edit((current) => ({ ...current, embed }), edited)}
              />
            </FormSection>
          </Flex>
        </Grid.Item>
        <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
          <Box style={{ position: 'sticky', top: '2.4rem' }}>
            <Card title={t('reports.editor.preview', 'Preview')}>
              <ReportPreview
                modelId={draft.semanticModel}
                modelName={modelName}
                modelReady={!model.data || modelReady}
                result={shownResult}
                isFetching={preview.isFetching || model.isLoading}
                error={preview.error}
              />
            </Card>
          </Box>
        </Grid.Item>
      </Grid.Root>
    </FormPage>
  );
};
