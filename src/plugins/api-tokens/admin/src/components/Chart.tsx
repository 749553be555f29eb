import * as React from 'react';
import { Box } from '@strapi/design-system';
import * as echarts from 'echarts/core';
import { CHART_PARTS } from '../../../server/src/shared/chart-parts';
import { SVGRenderer } from 'echarts/renderers';
import { useIntl } from 'react-intl';
import { chartOption } from '../../../server/src/shared/chart-option';
import type { ChartSpec, ResultColumn } from '../../../server/src/shared/types';
import { getTranslation } from '../utils/getTranslation';

// Only what chartOption() produces, so the bundle carries no other chart type.
echarts.use([...CHART_PARTS, SVGRenderer]);

interface ChartProps {
  chart: ChartSpec;
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
  /** In pixels; the width follows the container. */
  height?: number;
  /** The accessible name (e.g. the report's name); a description of the chart when absent. */
  label?: string;
}

/** A report's chart, drawn by ECharts from chartOption(); nothing for a `table` (callers draw a ResultTable). */
export const Chart = ({ chart, columns, rows, height = 320, label }: ChartProps) => {
  const { formatMessage, locale } = useIntl();
  const containerRef = React.useRef<HTMLDivElement>(null);
  const instanceRef = React.useRef<echarts.ECharts | null>(null);
  const option = React.useMemo(() => chartOption(chart, columns, rows, { locale }), [chart, columns, rows, locale]);
  const hasChart = option !== null;

  // One ECharts instance per mounted container, resized with it and disposed with it.
  React.useEffect(() => {
    const container = containerRef.current;
    if (!hasChart || !container) return;
    const instance = echarts.init(container, null, { renderer: 'svg' });
    instanceRef.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      instance.dispose();
      instanceRef.current = null;
    };
  }, [hasChart]);

  React.useEffect(() => {
    if (option) instanceRef.current?.setOption(option, { notMerge: true });
  }, [option, hasChart]);

  if (!option) return null;

  const y = (chart.y ?? []).join(', ');
  const description = formatMessage(
    { id: getTranslation(`chart.label.${chart.type}`), defaultMessage: '{y} by {x}' },
    { x: chart.x ?? '', y }
  );

  return (
    <Box
      ref={containerRef}
      width="100%"
      style={{ height }}
      role="img"
      aria-label={label ? `${label}: ${description}` : description}
      data-testid="chart"
      data-chart-type={chart.type}
    />
  );
};
