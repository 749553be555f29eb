import { Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ChartType } from '../../../api/reports';
import { MultiSelectField, SelectField } from '../../../components/SelectField';
import { getTranslation } from '../../../utils/getTranslation';
import type { ReportDraft } from '../reportDraft';
import { CHART_TYPES, useChartTypeLabel } from '../useChartTypeLabel';

type ChartDraft = ReportDraft['chart'];

interface ChartFieldsProps {
  chart: ChartDraft;
  /** The result's column names: the x axis's choices. */
  fields: string[];
  /** The y axis's choices: the numeric ones among them. */
  yFields: string[];
  errorOf: (key: string) => string | undefined;
  onChange: (chart: ChartDraft, edited: string) => void;
}

const HINTS: Record<ChartType, string> = {
  table: 'The result as a table only.',
  bar: 'One bar per value of the x axis, one series per y column.',
  line: 'One line per y column over the x axis (e.g. a date bucket).',
  pie: 'One slice per value of the x axis, sized by one y column.',
  kpi: 'One big number: the y column of the first row.',
};

/** The chart type and its axes: x from the result's columns, y one or more of them (one for a pie or a KPI). */
export const ChartFields = ({ chart, fields, yFields, errorOf, onChange }: ChartFieldsProps) => {
  const { formatMessage } = useIntl();
  const chartTypeLabel = useChartTypeLabel();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const options = fields.map((field) => ({ value: field, label: field }));
  const yOptions = yFields.map((field) => ({ value: field, label: field }));
  const hasX = chart.type === 'bar' || chart.type === 'line' || chart.type === 'pie';
  const singleY = chart.type === 'pie' || chart.type === 'kpi';

  return (
    <Grid.Root gap={4}>
      <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
        <SelectField
          name="chart.type"
          label={t('reports.editor.chart.type', 'Chart type')}
          required
          error={errorOf('chart.type') ?? errorOf('chart')}
          options={CHART_TYPES.map((type) => ({ value: type, label: chartTypeLabel(type) }))}
          value={chart.type}
          onChange={(type) => {
            const next = type as ChartType;
            const y = next === 'pie' || next === 'kpi' ? chart.y.slice(0, 1) : chart.y;
            onChange({ ...chart, type: next, y }, 'chart');
          }}
        />
      </Grid.Item>
      {hasX ? (
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <SelectField
            name="chart.x"
            label={t('reports.editor.chart.x', 'X axis')}
            required
            error={errorOf('chart.x')}
            placeholder={t('reports.editor.pickColumn', 'Pick a column')}
            options={options}
            value={chart.x}
            onChange={(x) => onChange({ ...chart, x }, 'chart.x')}
          />
        </Grid.Item>
      ) : null}
      {chart.type !== 'table' && singleY ? (
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <SelectField
            name="chart.y"
            label={t('reports.editor.chart.value', 'Value')}
            required
            error={errorOf('chart.y')}
            placeholder={t('reports.editor.pickColumn', 'Pick a column')}
            options={yOptions}
            value={chart.y[0] ?? ''}
            onChange={(y) => onChange({ ...chart, y: [y] }, 'chart.y')}
          />
        </Grid.Item>
      ) : null}
      {chart.type !== 'table' && !singleY ? (
        <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
          <MultiSelectField
            name="chart.y"
            label={t('reports.editor.chart.y', 'Y axis')}
            required
            error={errorOf('chart.y')}
            placeholder={t('reports.editor.pickColumns', 'Pick columns')}
            options={yOptions}
            value={chart.y}
            onChange={(y) => onChange({ ...chart, y }, 'chart.y')}
          />
        </Grid.Item>
      ) : null}
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <Typography variant="pi" textColor="neutral600">
          {t(`reports.editor.chart.hint.${chart.type}`, HINTS[chart.type])}
        </Typography>
      </Grid.Item>
    </Grid.Root>
  );
};
