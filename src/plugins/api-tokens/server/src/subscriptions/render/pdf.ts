import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EChartsOption } from 'echarts';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ResultColumn } from '../../query/types';
import type { RenderInput, RenderSection, Renderer } from '../types';
import { attachmentBody } from './attachment-body';
import { displayCell, isNumericType } from './cells';
import { chartSvg } from './chart-svg';
import { drained } from './drained';
import { uniqueFileNames } from './file-names';
import { rowsText, sectionHeading } from './mail-text';
import { type PdfFonts, pdfFonts } from './pdf-fonts';

type Doc = PDFKit.PDFDocument;
type Row = Record<string, unknown>;

const MARGIN = 40;
const COLOR = { text: '#32324d', muted: '#666687', rule: '#c0c0cf', header: '#eaeaef', zebra: '#f6f6f9' };
const SIZE = { title: 18, heading: 14, summary: 9, table: 8 };
const ROW_HEIGHT = 14;
const CELL_PADDING = 4;
const CHART_MAX_HEIGHT = 260;
/** A table of more columns than this turns the pages to landscape. */
const PORTRAIT_MAX_COLUMNS = 6;
/**
 * The least width of a column of a type, whatever the first rows hold: later numbers may be longer, and a number cut
 * short would read as another number.
 */
const WIDTH_TEMPLATES: Partial<Record<ResultColumn['type'], string>> = {
  integer: '-0,000,000',
  biginteger: '-0,000,000',
  float: '-0,000,000.00',
  date: '0000-00-00',
  datetime: '0000-00-00 00:00:00',
  boolean: 'false',
};
/** Rows of the first page that size the columns. */
const WIDTH_SAMPLE = 100;
const LAYOUT_CACHE_MAX = 10_000;
/** Bytes of finished pages that may wait for the file. */
const BUFFERED_LIMIT = 1 << 20;
/** Space a section needs left on the page to start there rather than on a new page. */
const SECTION_MIN_SPACE = 160;

/**
 * Widths of text in the table's font and size, summed from each character's advance (measured once): kerning is left
 * out, which the cells' padding absorbs, and measuring each cell through pdfkit's shaping costs more than drawing it.
 */
const textMeasure = (doc: Doc, font: string) => {
  const advances = new Map<string, number>();
  return (text: string) => {
    let width = 0;
    for (const char of text) {
      let advance = advances.get(char);
      if (advance === undefined) {
        doc.font(font).fontSize(SIZE.table);
        advance = doc.widthOfString(char);
        advances.set(char, advance);
      }
      width += advance;
    }
    return width;
  };
};
type Measure = ReturnType<typeof textMeasure>;

/** `text` on one line within `width` points, cut with an ellipsis when it overflows. */
const fitText = (measure: Measure, text: string, width: number) => {
  const line = text.replace(/[\r\n\t]+/g, ' ');
  if (measure(line) <= width) return line;
  const room = width - measure('…');
  let used = 0;
  let end = 0;
  for (const char of line) {
    used += measure(char);
    if (used > room) break;
    end += char.length;
  }
  return end > 0 ? `${line.slice(0, end).trimEnd()}…` : '';
};

/**
 * Column widths that fill `available`: each column's natural width (its header and the sampled values), scaled up
 * when they all fit, else narrow columns keep theirs and the wide ones share what is left.
 */
const columnWidths = (
  measures: Record<'regular' | 'bold', Measure>,
  columns: ResultColumn[],
  sample: Row[],
  available: number
) => {
  const natural = columns.map((column) => {
    const template = WIDTH_TEMPLATES[column.type];
    return Math.max(measures.bold(column.name), template ? measures.regular(template) : 0);
  });
  for (const row of sample.slice(0, WIDTH_SAMPLE)) {
    columns.forEach((column, i) => {
      natural[i] = Math.max(natural[i], measures.regular(displayCell(column.type, row[column.name])));
    });
  }
  const padded = natural.map((width) => Math.min(width + 2 * CELL_PADDING, available));
  const total = padded.reduce((sum, width) => sum + width, 0);
  if (total <= available) return padded.map((width) => (width * available) / total);
  const widths = new Array<number>(columns.length);
  let left = available;
  const order = padded.map((width, i) => ({ width, i })).sort((a, b) => a.width - b.width);
  order.forEach(({ width, i }, rank) => {
    widths[i] = Math.min(width, left / (order.length - rank));
    left -= widths[i];
  });
  return widths;
};

/**
 * pdfkit caches the shaped layout of every distinct word it draws, for the document's life: much faster than shaping
 * each cell again, but a long table of distinct values would fill memory. Emptied, between pages of rows, once it holds
 * LAYOUT_CACHE_MAX words (pdfkit 0.20's `_fontFamilies[].layoutCache`, pinned; without it, nothing happens).
 */
const forgetLayouts = (doc: Doc) => {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies;
  for (const font of Object.values(families ?? {})) {
    if (font.layoutCache && Object.keys(font.layoutCache).length > LAYOUT_CACHE_MAX)
      font.layoutCache = Object.create(null);
  }
};

/** Draws a report document into `doc`, page after page; the table's rows are drawn as their pages arrive. */
const pdfWriter = (doc: Doc, fonts: PdfFonts, flushed: () => Promise<void>) => {
  const measures = { regular: textMeasure(doc, fonts.regular), bold: textMeasure(doc, fonts.bold) };
  const left = () => doc.page.margins.left;
  const width = () => doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };

  const paragraph = (text: string, font: string, size: number, color: string, gap = 4) => {
    doc.font(font).fontSize(size).fillColor(color).text(text, left(), doc.y, { width: width() });
    doc.y += gap;
  };

  /** The chart drawn as vectors, as wide as the page's text and at most CHART_MAX_HEIGHT tall. */
  const chart = (option: EChartsOption) => {
    const size = { width: width(), height: Math.min(width() / 2, CHART_MAX_HEIGHT) };
    ensure(size.height);
    // Drawn at the size it takes, one SVG unit to a point.
    SVGtoPDF(doc as unknown as typeof PDFDocument, chartSvg(option, size), left(), doc.y, {
      ...size,
      assumePt: true,
      fontCallback: (_family, bold) => (bold ? fonts.bold : fonts.regular),
      warningCallback: () => undefined,
    });
    doc.y += size.height + 8;
  };

  /** The table: the header on every page, then each row, cut to its column. Returns the number of rows. */
  const table = async (section: RenderSection) => {
    const { columns } = section;
    const pages = section.rows()[Symbol.asyncIterator]();
    let next = await pages.next();
    const widths = columnWidths(measures, columns, next.done ? [] : next.value, width());
    const numeric = columns.map((column) => isNumericType(column.type));
    const textY = (ROW_HEIGHT - SIZE.table) / 2;

    const cells = (texts: string[], y: number, font: 'regular' | 'bold') => {
      doc.font(fonts[font]).fontSize(SIZE.table).fillColor(COLOR.text);
      const measure = measures[font];
      let x = left();
      texts.forEach((text, i) => {
        const fitted = fitText(measure, text, widths[i] - 2 * CELL_PADDING);
        const offset = numeric[i] ? widths[i] - CELL_PADDING - measure(fitted) : CELL_PADDING;
        doc.text(fitted, x + offset, y + textY, { lineBreak: false });
        x += widths[i];
      });
    };
    const header = () => {
      const y = doc.y;
      doc.rect(left(), y, width(), ROW_HEIGHT).fill(COLOR.header);
      cells(
        columns.map((column) => column.name),
        y,
        'bold'
      );
      doc
        .moveTo(left(), y + ROW_HEIGHT)
        .lineTo(left() + width(), y + ROW_HEIGHT)
        .lineWidth(0.5)
        .stroke(COLOR.rule);
      doc.y = y + ROW_HEIGHT;
    };

    ensure(ROW_HEIGHT * 2);
    header();
    let rows = 0;
    try {
      while (!next.done) {
        for (const row of next.value) {
          if (doc.y + ROW_HEIGHT > bottom()) {
            doc.addPage();
            header();
          }
          const y = doc.y;
          if (rows % 2 === 1) doc.rect(left(), y, width(), ROW_HEIGHT).fill(COLOR.zebra);
          cells(
            columns.map((column) => displayCell(column.type, row[column.name])),
            y,
            'regular'
          );
          doc.y = y + ROW_HEIGHT;
          rows += 1;
        }
        forgetLayouts(doc);
        await flushed();
        next = await pages.next();
      }
    } catch (error) {
      // Lets the rows' source release what it holds, as `for await` would.
      await pages.return?.();
      throw error;
    }
    doc.y += 4;
    paragraph(rows === 0 ? 'No rows.' : rowsText(rows), fonts.regular, SIZE.summary, COLOR.muted);
    return rows;
  };

  return {
    async document(input: RenderInput) {
      paragraph(input.title, fonts.bold, SIZE.title, COLOR.text, 8);
      const counts: number[] = [];
      for (const [index, section] of input.sections.entries()) {
        if (index > 0) {
          if (doc.y + SECTION_MIN_SPACE > bottom()) doc.addPage();
          else doc.y += 16;
        }
        const heading = sectionHeading(input, section);
        if (heading) {
          if (input.targetType === 'dashboard') doc.outline.addItem(heading);
          paragraph(heading, fonts.bold, SIZE.heading, COLOR.text);
        }
        for (const line of section.summary) paragraph(line, fonts.regular, SIZE.summary, COLOR.muted, 1);
        doc.y += 6;
        if (section.chart) chart(section.chart);
        counts.push(await table(section));
      }
      return counts;
    },
  };
};

/** A report, or every section of a dashboard in order, as one PDF: title, summary, the chart as vectors, the table. */
export const renderPdf: Renderer = async (input) => {
  const [filename] = uniqueFileNames([input.title], 'pdf');
  const file = path.join(input.directory, filename);
  const fonts = pdfFonts();
  const wide = input.sections.some((section) => section.columns.length > PORTRAIT_MAX_COLUMNS);
  const doc = new PDFDocument({
    size: 'A4',
    layout: wide ? 'landscape' : 'portrait',
    margin: MARGIN,
    info: { Title: input.title, Creator: 'Reporting hub' },
    displayTitle: true,
  });
  for (const [name, fontFile] of Object.entries(fonts.files)) doc.registerFont(name, fontFile);

  const out = createWriteStream(file, { highWaterMark: BUFFERED_LIMIT });
  const failed = new Promise<never>((_, reject) => {
    out.once('error', reject);
    doc.once('error', reject);
  });
  failed.catch(() => undefined);
  doc.pipe(out);
  // pdfkit pushes each finished page whatever the file's pace: between pages of rows, let the file catch up.
  const flushed = async () => {
    do await Promise.race([out.writableNeedDrain ? drained(out) : nextTurn(), failed]);
    while (doc.readableLength > BUFFERED_LIMIT);
  };

  let counts: number[];
  try {
    counts = await pdfWriter(doc, fonts, flushed).document(input);
    doc.end();
    await Promise.race([finished(out), failed]);
  } catch (error) {
    doc.unpipe(out);
    out.destroy();
    throw error;
  }

  const { size } = await stat(file);
  return {
    attachment: { path: file, filename, contentType: 'application/pdf' },
    ...attachmentBody(input, counts, filename),
    inline: [],
    rows: counts.reduce((sum, count) => sum + count, 0),
    bytes: size,
  };
};
