import type { ResultColumn } from '../../query/types';
import type { InlineImage, RenderSection, Renderer } from '../types';
import { displayCell, isNumericType } from './cells';
import { chartPng } from './chart-png';
import { CHART_SIZE, chartSvg } from './chart-svg';
import { escapeHtml } from './escape-html';
import { STYLE, page, rowsText, sectionHeading, summaryHtml, summaryText } from './mail-text';

/** A cell's text in the mail is cut here: the body is for reading, the data itself is in the report. */
const CELL_MAX_LENGTH = 300;
/** The plain-text table's widest column. */
const TEXT_COLUMN_MAX = 30;

const TABLE = {
  table: 'border-collapse:collapse;font-size:13px;margin:8px 0;',
  th: 'text-align:left;background:#eaeaef;padding:6px 8px;border-bottom:1px solid #c0c0cf;white-space:nowrap;',
  td: 'padding:4px 8px;border-bottom:1px solid #eaeaef;vertical-align:top;',
  number: 'text-align:right;white-space:nowrap;',
};

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The first `limit` rows of a section as display text, and how many rows it has: every page is read, to count, but
 * only the shown rows are kept.
 */
const firstRows = async (section: RenderSection, limit: number) => {
  const shown: string[][] = [];
  let total = 0;
  for await (const page of section.rows()) {
    for (let i = 0; i < page.length && shown.length < limit; i += 1) {
      shown.push(section.columns.map((column) => displayCell(column.type, page[i][column.name])));
    }
    total += page.length;
  }
  return { shown, total };
};

const tableHtml = (columns: ResultColumn[], rows: string[][]) => {
  const align = columns.map((column) => (isNumericType(column.type) ? TABLE.number : ''));
  const head = columns.map((column, i) => `<th style="${TABLE.th}${align[i]}">${escapeHtml(column.name)}</th>`);
  const body = rows.map(
    (row) =>
      `<tr>${row.map((text, i) => `<td style="${TABLE.td}${align[i]}">${escapeHtml(cut(text, CELL_MAX_LENGTH))}</td>`).join('')}</tr>`
  );
  return `<table role="presentation" cellspacing="0" cellpadding="0" style="${TABLE.table}"><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`;
};

/** The rows as aligned plain text: each column as wide as its widest shown value, within TEXT_COLUMN_MAX. */
const tableText = (columns: ResultColumn[], rows: string[][]) => {
  const lines = [columns.map((column) => column.name), ...rows].map((row) =>
    row.map((text) => cut(text.replace(/\s+/g, ' '), TEXT_COLUMN_MAX))
  );
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  const numeric = columns.map((column) => isNumericType(column.type));
  return lines.map((line) =>
    line
      .map((text, i) => (numeric[i] ? text.padStart(widths[i]) : text.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  );
};

/**
 * The report as the mail itself: per section its summary, its chart as a PNG referenced by `cid:` (in `inline`), and
 * its first `htmlRowLimit` rows, with "Showing N of M rows" when cut. No attachment; `bytes` is the body's size.
 */
export const renderHtml: Renderer = async (input) => {
  const limit = Math.max(0, input.htmlRowLimit);
  const inline: InlineImage[] = [];
  const html: string[] = [];
  const text: string[] = [input.title, ''];
  let rows = 0;

  for (const [index, section] of input.sections.entries()) {
    const heading = sectionHeading(input, section);
    if (heading) {
      html.push(`<h2 style="${STYLE.h2}">${escapeHtml(heading)}</h2>`);
      text.push(heading, '');
    }
    html.push(summaryHtml(section));
    text.push(...summaryText(section));

    if (section.chart) {
      const cid = `chart-${index + 1}@reporting-hub`;
      const content = chartPng(chartSvg(section.chart, CHART_SIZE), CHART_SIZE.width);
      inline.push({ cid, filename: `chart-${index + 1}.png`, contentType: 'image/png', content });
      html.push(
        `<img src="cid:${cid}" width="${CHART_SIZE.width}" height="${CHART_SIZE.height}" alt="${escapeHtml(`Chart: ${section.title}`)}" style="display:block;border:0;max-width:100%;height:auto;margin:8px 0;">`
      );
    }

    const { shown, total } = await firstRows(section, limit);
    rows += total;
    const count =
      total === 0
        ? 'No rows.'
        : shown.length < total
          ? `Showing ${shown.length} of ${rowsText(total)}.`
          : rowsText(total);
    if (shown.length > 0) {
      html.push(tableHtml(section.columns, shown));
      text.push('', ...tableText(section.columns, shown));
    }
    html.push(`<p style="${STYLE.muted}">${escapeHtml(count)}</p>`);
    text.push('', count, '');
  }

  const body = page(input.title, html.join(''));
  return {
    attachment: null,
    html: body,
    text: text.join('\n').trimEnd(),
    inline,
    rows,
    bytes: Buffer.byteLength(body),
  };
};
