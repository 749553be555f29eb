import { useIntl } from 'react-intl';
import type { ChartType } from '../../api/reports';
import { getTranslation } from '../../utils/getTranslation';

/** The chart types in the order the editor offers them, with their names. */
export const CHART_TYPE_LABELS: Record<ChartType, string> = {
  table: 'Table',
  bar: 'Bar chart',
  line: 'Line chart',
  pie: 'Pie chart',
  kpi: 'KPI',
};
export const CHART_TYPES = Object.keys(CHART_TYPE_LABELS) as ChartType[];

/** A chart type's name, e.g. "Bar chart" for `bar`. */
export const useChartTypeLabel = () => {
  const { formatMessage } = useIntl();
  return (type: ChartType) =>
    formatMessage({
      id: getTranslation(`reports.chart.type.${type}`),
      defaultMessage: CHART_TYPE_LABELS[type] ?? type,
    });
};
