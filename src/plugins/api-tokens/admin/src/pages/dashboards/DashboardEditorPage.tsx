import * as React from 'react';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useQuery, useQueryClient } from 'react-query';
import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';
import { dashboardKeys, useDashboardsApi, type Dashboard, type DashboardBody } from '../../api/dashboards';
import { reportKeys, useReportsApi, type InputValues, type Report } from '../../api/reports';
import { FormPage } from '../../components/FormPage';
import { FormSection } from '../../components/FormSection';
import { InputControls } from '../../components/InputControls';
import { TextField } from '../../components/TextField';
import { reportSaveError, statusOf } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useFormErrors, type FormErrors } from '../../utils/useFormErrors';
import { DashboardGrid } from './components/DashboardGrid';
import { EmbedFields } from '../reports/components/EmbedFields';
import { ItemList, type EditorItem } from './components/ItemList';
import { ReportPreview } from './components/ReportPreview';
import { useSharedInputs } from './useSharedInputs';
import { NAME_MAX_LENGTH } from '../../../../server/src/shared/limits';

/** A report added to the grid takes half of it. */
const DEFAULT_WIDTH = 6;

/**
 * A form field: `name`, `items`, `items.<i>.report`, `items.<i>.width`, `embed.enabled` or `embed.allowedOrigins`.
 * Server paths come as `items[0].width` or `items.0.width`.
 */
const fieldOf = (path: string): string | undefined => {
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  if (dotted === 'name' || dotted === 'items' || dotted === 'embed.enabled') return dotted;
  const item = /^items\.(\d+)(?:\.(report|width))?/.exec(dotted);
  if (item) return `items.${item[1]}.${item[2] ?? 'report'}`;
  if (dotted.startsWith('embed')) return 'embed.allowedOrigins';
  return undefined;
};

let nextKey = 0;
const keyed = (item: { report: string; width: number }): EditorItem => ({ ...item, key: `item-${(nextKey += 1)}` });

/** The origins typed one a line. */
const originsOf = (text: string) =>
  text
    .split('\n')
    .map((origin) => origin.trim())
    .filter(Boolean);

interface DashboardFormProps {
  /** The saved dashboard; null to create one. */
  original: Dashboard | null;
  reports: Report[];
}

const DashboardForm = ({ original, reports }: DashboardFormProps) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const api = useDashboardsApi();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const [name, setName] = React.useState(original?.name ?? '');
  const [items, setItems] = React.useState<EditorItem[]>(() => (original?.items ?? []).map(keyed));
  const [embed, setEmbed] = React.useState({
    enabled: original?.embed.enabled ?? false,
    allowedOrigins: (original?.embed.allowedOrigins ?? []).join('\n'),
  });
  const [values, setValues] = React.useState<InputValues>({});
  const { errors, setErrors, clearError } = useFormErrors<string>();
  const [isSubmitting, setIsSubmitting] = React.useState(false);

  const reportsById = React.useMemo(() => new Map(reports.map((report) => [report.documentId, report])), [reports]);
  const shared = useSharedInputs(items.map((item) => item.report));

  // Item errors are by index: a change of the list makes them point at the wrong rows.
  const changeItems = (next: EditorItem[]) => {
    setItems(next);
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([field]) => !field.startsWith('items'))));
  };

  const validate = (): FormErrors<string> => {
    const found: FormErrors<string> = {};
    if (!name.trim()) found.name = t('dashboards.editor.error.name.required', 'Give the dashboard a name');
    else if (name.length > NAME_MAX_LENGTH)
      found.name = t('dashboards.editor.error.name.max', 'The name can have at most 100 characters');
    return found;
  };

  const handleSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      toggleNotification({
        type: 'warning',
        message: t('dashboards.editor.error.form', 'Check the highlighted fields'),
      });
      return;
    }
    const body: DashboardBody = {
      name: name.trim(),
      items: items.map(({ report, width }) => ({ report, width })),
      embed: { enabled: embed.enabled, allowedOrigins: originsOf(embed.allowedOrigins) },
    };
    setIsSubmitting(true);
    try {
      const saved = original ? await api.updateDashboard(original.documentId, body) : await api.createDashboard(body);
      await queryClient.invalidateQueries(dashboardKeys.all);
      toggleNotification({
        type: 'success',
        message: original
          ? t('dashboards.editor.saved', 'Saved “{name}”', { name: saved.name })
          : t('dashboards.editor.created', 'Created “{name}”', { name: saved.name }),
      });
      navigate(`../${saved.documentId}`, { replace: true });
    } catch (error) {
      reportSaveError(error, {
        fieldOf,
        setErrors,
        notify: toggleNotification,
        invalidMessage: t('dashboards.editor.error.form', 'Check the highlighted fields'),
        failedMessage: t('dashboards.editor.error.generic', 'The dashboard could not be saved'),
      });
    } finally {
      setIsSubmitting(false);
    }
  };

  const title = original
    ? t('dashboards.editor.editTitle', 'Edit “{name}”', { name: original.name })
    : t('dashboards.editor.createTitle', 'Create a dashboard');

  return (
    <FormPage
      title={title}
      subtitle={t(
        'dashboards.editor.subtitle',
        'Lay out reports on a 12-column grid; inputs of the same name filter every report that has them.'
      )}
      backTo={original ? `../${original.documentId}` : '..'}
      submitLabel={original ? t('dashboards.editor.save', 'Save') : t('dashboards.editor.create', 'Create dashboard')}
      isSubmitting={isSubmitting}
      onSubmit={handleSubmit}
    >
      <FormSection title={t('dashboards.editor.details', 'Details')}>
        <TextField
          name="name"
          required
          label={t('dashboards.editor.name', 'Name')}
          hint={t('dashboards.editor.name.hint', 'Unique, e.g. "Sales overview". At most 100 characters.')}
          error={errors.name}
          value={name}
          maxLength={NAME_MAX_LENGTH}
          onChange={(value) => {
            setName(value);
            clearError('name');
          }}
        />
      </FormSection>

      <FormSection
        title={t('dashboards.editor.reports', 'Reports')}
        hint={t(
          'dashboards.editor.reports.hint',
          'In grid order: left to right, then down. A row holds 12 columns of width.'
        )}
      >
        <ItemList
          items={items}
          reports={reports}
          errors={errors}
          onChange={changeItems}
          onAdd={(report) => changeItems([...items, keyed({ report, width: DEFAULT_WIDTH })])}
        />
      </FormSection>

      <FormSection
        title={t('dashboards.editor.preview', 'Preview')}
        hint={t('dashboards.editor.preview.hint', 'The reports’ current data, with the shared inputs applied.')}
      >
        {shared.inputs.length > 0 ? (
          <InputControls
            inputs={shared.inputs}
            values={values}
            onChange={(input, value) => setValues((current) => ({ ...current, [input]: value }))}
          />
        ) : null}
        <DashboardGrid isEmpty={items.length === 0}>
          {items.map((item) => {
            const report = reportsById.get(item.report);
            return report ? <ReportPreview key={item.key} report={report} width={item.width} values={values} /> : null;
          })}
        </DashboardGrid>
      </FormSection>

      <FormSection title={t('dashboards.embed', 'Embedding')}>
        <EmbedFields
          embed={embed}
          embedId={original?.embed.embedId ?? null}
          errorOf={(field) => errors[field]}
          originsHint={t(
            'dashboards.embed.origins.hint',
            'One origin a line, e.g. https://app.example.com. Only pages on these origins may embed the dashboard.'
          )}
          onChange={(next, edited) => {
            setEmbed(next);
            clearError(edited);
          }}
        />
      </FormSection>
    </FormPage>
  );
};

/** Create (no `:documentId`) and edit a dashboard. */
export const DashboardEditorPage = () => {
  const { documentId } = useParams<{ documentId: string }>();
  const dashboardsApi = useDashboardsApi();
  const reportsApi = useReportsApi();
  const dashboard = useQuery(dashboardKeys.detail(documentId ?? ''), () => dashboardsApi.getDashboard(documentId!), {
    enabled: Boolean(documentId),
    retry: retryUnlessClientError,
    // The form starts from what it loads; a refetch while editing would not change it anyway.
    staleTime: Infinity,
  });
  const reports = useQuery(reportKeys.list(), () => reportsApi.listReports(), { retry: retryUnlessClientError });

  if ((documentId && dashboard.isLoading) || reports.isLoading) return <Page.Loading />;
  if (statusOf(dashboard.error) === 404) return <Page.NoData />;
  if ((documentId && !dashboard.data) || !reports.data) return <Page.Error />;

  return <DashboardForm key={documentId ?? 'new'} original={dashboard.data ?? null} reports={reports.data} />;
};
