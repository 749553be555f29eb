import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

export interface ChartSize {
  width: number;
  height: number;
}

/** The size charts are drawn at in mails (CSS pixels) and PDFs (points, scaled to the page). */
export const CHART_SIZE: ChartSize = { width: 640, height: 320 };

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * A chart's shared ECharts option (shared/chart-option.ts) as an SVG document, through ECharts' server-side SVG
 * renderer: no DOM, no animation, one instance per call, disposed after.
 */
export const chartSvg = (option: EChartsOption, { width, height }: ChartSize = CHART_SIZE): string => {
  const chart = echarts.init(null as unknown as HTMLElement, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    // ECharts writes labels as given; a control character would make the SVG invalid XML for resvg and svg-to-pdfkit.
    return chart.renderToSVGString().replace(NOT_XML, '');
  } finally {
    chart.dispose();
  }
};
