import * as React from 'react';
import {
  Box,
  Checkbox,
  Field,
  Flex,
  Grid,
  Radio,
  SingleSelect,
  SingleSelectOption,
  Typography,
} from '@strapi/design-system';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery, useQueryClient } from 'react-query';
import { useNavigate, useParams } from 'react-router-dom';
import {
  modelKeys,
  useSemanticModelsApi,
  type ModelInput,
  type RefreshConfig,
  type SemanticModel,
} from '../../api/semantic-models';
import { reportSaveError } from '../../utils/errors';
import { FormPage } from '../../components/FormPage';
import { FormSection } from '../../components/FormSection';
import { TextField } from '../../components/TextField';
import { browserTimeZone } from '../../components/TimeZoneField';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { useFormErrors, type FormErrors } from '../../utils/useFormErrors';
import { Monospace } from '../../components/Monospace';
import { hasFiveFields } from '../../utils/cron';
import { ColumnTypeText } from './components/ColumnTypeText';
import { ScheduleFields } from '../../components/ScheduleFields';
import { NAME_MAX_LENGTH } from '../../../../server/src/shared/limits';

const CONTENT_TYPE_SOURCE = 'content-type';

type FieldName = 'name' | 'source' | 'fields' | 'mode' | 'cron' | 'timezone';

/** Server error paths to the form's fields. */
const FIELD_OF_PATH: Record<string, FieldName> = {
  name: 'name',
  source: 'source',
  'source.type': 'source',
  'source.uid': 'source',
  'source.fields': 'fields',
  refresh: 'mode',
  'refresh.mode': 'mode',
  'refresh.cron': 'cron',
  'refresh.timezone': 'timezone',
};

/** Create (no `:documentId`) and edit a semantic model. */
export const ModelEditorPage = () => {
  const { documentId } = useParams<{ documentId: string }>();
  const isEdit = Boolean(documentId);
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const api = useSemanticModelsApi();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const [name, setName] = React.useState('');
  const [uid, setUid] = React.useState('');
  // Empty: the default locale at each refresh.
  const [locale, setLocale] = React.useState('');
  const [fields, setFields] = React.useState<string[]>([]);
  const [mode, setMode] = React.useState<RefreshConfig['mode']>('manual');
  const [cron, setCron] = React.useState('');
  const [timezone, setTimezone] = React.useState(browserTimeZone);
  const { errors, setErrors, clearError } = useFormErrors<FieldName>();
  const [isSubmitting, setIsSubmitting] = React.useState(false);

  /** The model the form was filled from: a later refetch of the same model keeps what is being typed. */
  const formOf = React.useRef<string | null>(null);
  const fillForm = (model: SemanticModel) => {
    formOf.current = model.documentId;
    setName(model.name);
    if (model.source.type === CONTENT_TYPE_SOURCE) {
      setUid(String(model.source.uid ?? ''));
      setLocale(typeof model.source.locale === 'string' ? model.source.locale : '');
      setFields(Array.isArray(model.source.fields) ? (model.source.fields as string[]) : []);
    }
    setMode(model.refresh.mode);
    if (model.refresh.mode === 'scheduled') {
      setCron(model.refresh.cron);
      setTimezone(model.refresh.timezone);
    }
  };
  const notifyLoadError = useNotifyLoadError()(t('models.editor.loadError', 'The semantic model could not be loaded'));
  const sourcesQuery = useQuery(modelKeys.sources(), () => api.listSources(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
    onError: notifyLoadError,
  });
  const modelQuery = useQuery(modelKeys.detail(documentId ?? ''), () => api.getModel(documentId!), {
    enabled: isEdit,
    retry: retryUnlessClientError,
    // The form starts from what is saved now, not from a cached copy.
    refetchOnMount: 'always',
    onSuccess: (model) => {
      if (formOf.current !== model.documentId) fillForm(model);
    },
    onError: notifyLoadError,
  });
  const sources = sourcesQuery.data ?? { types: [], contentTypes: [] };
  const original = (isEdit && modelQuery.data) || null;

  // An edited model whose source is not a content type (a source type registered by the app) keeps its source.
  const editsSource = !original || original.source.type === CONTENT_TYPE_SOURCE;
  const contentType = sources.contentTypes.find((candidate) => candidate.uid === uid);

  const refreshInput = (): RefreshConfig =>
    mode === 'scheduled' ? { mode, cron: cron.trim(), timezone } : { mode: 'manual' };

  const validate = (): FormErrors<FieldName> => {
    const found: FormErrors<FieldName> = {};
    if (!name.trim()) found.name = t('models.editor.error.name.required', 'Give the model a name');
    else if (name.length > NAME_MAX_LENGTH)
      found.name = t('models.editor.error.name.max', 'The name can have at most 100 characters');
    if (editsSource) {
      if (!uid) found.source = t('models.editor.error.source.required', 'Choose a content type');
      else if (fields.length === 0) found.fields = t('models.editor.error.fields.required', 'Pick at least one field');
    }
    if (mode === 'scheduled') {
      if (!cron.trim()) found.cron = t('models.editor.error.cron.required', 'Type a cron expression');
      else if (!hasFiveFields(cron)) {
        found.cron = t(
          'models.editor.error.cron.fields',
          'Use exactly five fields: minute, hour, day of month, month, day of week'
        );
      }
      if (!timezone) found.timezone = t('models.editor.error.timezone.required', 'Choose a time zone');
    }
    return found;
  };

  const handleSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      toggleNotification({ type: 'warning', message: t('models.editor.error.form', 'Check the highlighted fields') });
      return;
    }

    const input: ModelInput = {
      name: name.trim(),
      source: { type: CONTENT_TYPE_SOURCE, uid, fields, ...(locale ? { locale } : {}) },
      refresh: refreshInput(),
    };

    setIsSubmitting(true);
    try {
      if (original) {
        // Only what changed: re-sending an unchanged schedule would re-enable an auto-disabled one.
        const changes: Partial<ModelInput> = {};
        if (input.name !== original.name) changes.name = input.name;
        if (editsSource && JSON.stringify(input.source) !== JSON.stringify(original.source)) {
          changes.source = input.source;
        }
        if (JSON.stringify(input.refresh) !== JSON.stringify(original.refresh)) changes.refresh = input.refresh;
        if (Object.keys(changes).length > 0) {
          const saved = await api.updateModel(original.documentId, changes);
          queryClient.setQueryData(modelKeys.detail(saved.documentId), saved);
          // Its preview too, which lives under the model's key.
          void queryClient.invalidateQueries(modelKeys.detail(saved.documentId));
          void queryClient.invalidateQueries(modelKeys.list());
        }
        toggleNotification({
          type: 'success',
          message: t('models.editor.saved', 'Saved “{name}”', { name: input.name }),
        });
        navigate(`../${original.documentId}`, { replace: true });
      } else {
        const created = await api.createModel(input);
        void queryClient.invalidateQueries(modelKeys.list());
        toggleNotification({
          type: 'success',
          message: t('models.editor.created', 'Created “{name}”', { name: created.name }),
        });
        navigate(`../${created.documentId}`, { replace: true });
      }
    } catch (error) {
      reportSaveError(error, {
        fieldOf: (path) => FIELD_OF_PATH[path] ?? (path.startsWith('source.') ? 'source' : undefined),
        setErrors,
        notify: toggleNotification,
        invalidMessage: t('models.editor.error.form', 'Check the highlighted fields'),
        failedMessage: t('models.editor.error.generic', 'The semantic model could not be saved'),
      });
    } finally {
      setIsSubmitting(false);
    }
  };

  const toggleField = (field: string, checked: boolean) => {
    setFields((current) => (checked ? [...current, field] : current.filter((candidate) => candidate !== field)));
    clearError('fields');
  };

  if (sourcesQuery.isLoading || (isEdit && (modelQuery.isLoading || !modelQuery.isFetchedAfterMount))) {
    return <Page.Loading />;
  }
  if (sourcesQuery.isError || !sourcesQuery.data || (isEdit && (modelQuery.isError || !original))) {
    return <Page.Error />;
  }

  const title = isEdit
    ? t('models.editor.editTitle', 'Edit “{name}”', { name: original?.name ?? '' })
    : t('models.editor.createTitle', 'Create a semantic model');
  const fieldsLabelId = 'api-tokens-model-fields-title';
  const modeLabelId = 'api-tokens-model-mode-title';

  return (
    <FormPage
      title={title}
      subtitle={t(
        'models.editor.subtitle',
        'Pick the content type and fields to snapshot, and when the snapshot is refreshed.'
      )}
      backTo={isEdit ? `../${documentId}` : '..'}
      submitLabel={isEdit ? t('models.editor.save', 'Save') : t('models.editor.create', 'Create model')}
      isSubmitting={isSubmitting}
      onSubmit={handleSubmit}
    >
      <FormSection title={t('models.editor.details', 'Details')}>
        <Grid.Root gap={5}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <TextField
              name="name"
              required
              label={t('models.editor.name', 'Name')}
              hint={t('models.editor.name.hint', 'Unique, e.g. "Sales by region". At most 100 characters.')}
              error={errors.name}
              value={name}
              maxLength={NAME_MAX_LENGTH}
              onChange={(value) => {
                setName(value);
                clearError('name');
              }}
            />
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            {editsSource ? (
              <Field.Root
                name="source.uid"
                required
                error={errors.source}
                hint={t('models.editor.source.hint', 'The collection type whose entries become the rows.')}
              >
                <Field.Label>{t('models.editor.source', 'Source content type')}</Field.Label>
                <SingleSelect
                  value={uid || null}
                  placeholder={t('models.editor.source.placeholder', 'Choose a content type')}
                  onChange={(value: string | number) => {
                    setUid(String(value));
                    setLocale('');
                    // Fields belong to one content type: keep only those the new one also has.
                    const next = sources.contentTypes.find((candidate) => candidate.uid === value);
                    setFields((current) =>
                      current.filter((field) => next?.fields.some((candidate) => candidate.name === field))
                    );
                    clearError('source');
                    clearError('fields');
                  }}
                >
                  {sources.contentTypes.map((candidate) => (
                    <SingleSelectOption key={candidate.uid} value={candidate.uid}>
                      {candidate.displayName}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Field.Hint />
                <Field.Error />
              </Field.Root>
            ) : (
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Typography variant="pi" fontWeight="bold" textColor="neutral800">
                  {t('models.editor.source.other', 'Source')}
                </Typography>
                <Typography textColor="neutral800">
                  {sources.types.find((type) => type.type === original?.source.type)?.displayName ??
                    original?.source.type}
                </Typography>
                <Typography variant="pi" textColor="neutral600">
                  {t(
                    'models.editor.source.readonly',
                    'This source is defined through the API and cannot be edited here.'
                  )}
                </Typography>
              </Flex>
            )}
          </Grid.Item>
          {editsSource && contentType && contentType.locales.length > 0 ? (
            <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
              <Field.Root
                name="source.locale"
                hint={t(
                  'models.editor.locale.hint',
                  'The locale whose entries become the rows; each entry counts once.'
                )}
              >
                <Field.Label>{t('models.editor.locale', 'Locale')}</Field.Label>
                <SingleSelect value={locale} onChange={(value: string | number) => setLocale(String(value))}>
                  <SingleSelectOption value="">
                    {t('models.editor.locale.default', 'Default locale ({locale})', { locale: contentType.locales[0] })}
                  </SingleSelectOption>
                  {contentType.locales.map((code) => (
                    <SingleSelectOption key={code} value={code}>
                      {code}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Field.Hint />
              </Field.Root>
            </Grid.Item>
          ) : null}
        </Grid.Root>
      </FormSection>

      {editsSource ? (
        <FormSection
          title={t('models.editor.fields', 'Fields')}
          hint={
            contentType
              ? t(
                  'models.editor.fields.hint',
                  'The columns of the model, in the order you pick them. Pick at least one.'
                )
              : t('models.editor.fields.noSource', 'Choose a content type first.')
          }
          titleId={fieldsLabelId}
          group
        >
          {contentType ? (
            <Grid.Root gap={3}>
              {contentType.fields.map((field) => {
                const checked = fields.includes(field.name);
                return (
                  <Grid.Item key={field.name} col={4} m={6} s={12} direction="column" alignItems="stretch">
                    <Box
                      paddingTop={3}
                      paddingBottom={3}
                      paddingLeft={4}
                      paddingRight={4}
                      hasRadius
                      borderColor={checked ? 'primary600' : 'neutral200'}
                      background={checked ? 'primary100' : 'neutral0'}
                    >
                      <Flex justifyContent="space-between" gap={2}>
                        <Checkbox
                          name="source.fields"
                          value={field.name}
                          checked={checked}
                          onCheckedChange={(value: boolean | 'indeterminate') =>
                            toggleField(field.name, value === true)
                          }
                        >
                          <Monospace variant="omega" textColor="neutral800" tag="span">
                            {field.name}
                          </Monospace>
                        </Checkbox>
                        <ColumnTypeText type={field.type} />
                      </Flex>
                    </Box>
                  </Grid.Item>
                );
              })}
            </Grid.Root>
          ) : null}
          {errors.fields ? (
            <Typography variant="pi" textColor="danger600" role="alert">
              {errors.fields}
            </Typography>
          ) : null}
        </FormSection>
      ) : null}

      <FormSection
        title={t('models.editor.refresh', 'Refresh')}
        hint={t(
          'models.editor.refresh.hint',
          'Every refresh re-reads the source into a new snapshot; the previous one keeps serving until it is done.'
        )}
        titleId={modeLabelId}
      >
        <Radio.Group
          aria-labelledby={modeLabelId}
          name="refresh.mode"
          value={mode}
          onValueChange={(value: string) => {
            setMode(value as RefreshConfig['mode']);
            clearError('mode');
          }}
          style={{ flexDirection: 'row', flexWrap: 'wrap', columnGap: '2.4rem' }}
        >
          <Radio.Item value="manual">{t('models.editor.refresh.manual', 'Manual')}</Radio.Item>
          <Radio.Item value="scheduled">{t('models.editor.refresh.scheduled', 'On a schedule')}</Radio.Item>
        </Radio.Group>
        {errors.mode ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errors.mode}
          </Typography>
        ) : null}
        {mode === 'manual' ? (
          <Typography variant="pi" textColor="neutral600">
            {t(
              'models.editor.refresh.manual.hint',
              'Refreshed only when someone clicks “Refresh now” or an app asks for it through the API.'
            )}
          </Typography>
        ) : (
          <ScheduleFields
            cron={cron}
            timezone={timezone}
            onCronChange={(value) => {
              setCron(value);
              clearError('cron');
            }}
            onTimezoneChange={(value) => {
              setTimezone(value);
              clearError('timezone');
            }}
            errors={{ cron: errors.cron, timezone: errors.timezone }}
          />
        )}
      </FormSection>
    </FormPage>
  );
};
