import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { ResultColumn } from '../../query/types';
import type { RenderSection, Renderer } from '../types';
import { attachmentBody } from './attachment-body';
import { xlsxCell, xlsxNumFmt } from './cells';
import { drained } from './drained';
import { uniqueFileNames } from './file-names';
import { uniqueSheetNames } from './sheet-names';

type Row = Record<string, unknown>;

const MIN_WIDTH = 8;
const ZIP_BATCH_ROWS = 200;
const MAX_WIDTH = 50;
/** Widths of columns whose text is not in the sampled rows' values (dates show through their numFmt). */
const FIXED_WIDTHS: Partial<Record<ResultColumn['type'], number>> = { date: 12, datetime: 20, boolean: 8 };

/** A column's width in characters: its header and the first page's values, within bounds. */
const widthOf = (column: ResultColumn, sample: Row[]) => {
  let widest = column.name.length;
  const fixed = FIXED_WIDTHS[column.type];
  if (fixed !== undefined) widest = Math.max(widest, fixed);
  else
    for (const row of sample) widest = Math.max(widest, String(xlsxCell(column.type, row[column.name]) ?? '').length);
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
};

/**
 * Waits until the sheet's committed rows are compressed. exceljs' streaming writer has no backpressure: it writes a
 * sheet into archiver's entry stream (a readable-stream PassThrough) whatever its fill, and archiver compresses it
 * only as the event loop turns, so without this wait a large sheet piles up in memory. Reads exceljs 4.4.0's
 * internals (pinned); without them it only yields a turn.
 */
const zipped = async (sheet: ExcelJS.Worksheet) => {
  const entry = (sheet as unknown as { _stream?: { pipes?: Writable[] } })._stream?.pipes?.[0];
  const state = (entry as unknown as { _writableState?: { needDrain?: boolean; length?: number } })?._writableState;
  if (entry && state?.needDrain && state.length) await drained(entry);
  else await nextTurn();
};

/**
 * Streams one section into a sheet: a bold, frozen header row with an auto-filter, then typed cells, each row
 * committed (written out) as soon as it is added. Returns the number of data rows.
 */
const writeSheet = async (
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  section: RenderSection,
  failed: Promise<never>
) => {
  const { columns } = section;
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const pages = section.rows()[Symbol.asyncIterator]();
  // The first page sizes the columns, which are written before the first row.
  let next = await pages.next();
  sheet.columns = columns.map((column) => ({ key: column.name, width: widthOf(column, next.done ? [] : next.value) }));
  // One style object per column, shared by its cells: exceljs resolves a style once per object, not once per cell.
  const styles = columns.map((column): Partial<ExcelJS.Style> => {
    const numFmt = xlsxNumFmt(column.type);
    return numFmt ? { numFmt } : {};
  });
  if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.addRow(columns.map((column) => column.name));
  header.font = { bold: true };
  header.commit();

  let rows = 0;
  try {
    while (!next.done) {
      for (const [index, row] of next.value.entries()) {
        const values = new Array(columns.length);
        for (let i = 0; i < columns.length; i += 1) values[i] = xlsxCell(columns[i].type, row[columns[i].name]);
        const added = sheet.addRow(values);
        for (let i = 0; i < columns.length; i += 1) added.getCell(i + 1).style = styles[i];
        added.commit();
        // Small batches in flight: their buffers die young instead of surviving into the old generation.
        if ((index + 1) % ZIP_BATCH_ROWS === 0) await Promise.race([zipped(sheet), failed]);
      }
      rows += next.value.length;
      await Promise.race([zipped(sheet), failed]);
      next = await pages.next();
    }
  } catch (error) {
    // Lets the rows' source release what it holds (a cursor, a connection), as `for await` would.
    await pages.return?.();
    throw error;
  }
  sheet.commit();
  return rows;
};

/** A report as a one-sheet workbook; a dashboard as one sheet per section, in order. */
export const renderXlsx: Renderer = async (input) => {
  const [filename] = uniqueFileNames([input.title], 'xlsx');
  const file = path.join(input.directory, filename);
  // Our own file stream (rather than exceljs' `filename`) so a write error is heard at once and the file is closed.
  const out = createWriteStream(file);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const zip = (workbook as unknown as { zip: Writable }).zip;
  const failed = new Promise<never>((_, reject) => {
    out.once('error', reject);
    zip.once('error', reject);
  });
  failed.catch(() => undefined);
  workbook.title = input.title;
  workbook.creator = 'Reporting hub';
  const names = uniqueSheetNames(input.sections.map((section) => section.title));
  const counts: number[] = [];
  try {
    for (const [index, section] of input.sections.entries()) {
      counts.push(await writeSheet(workbook, names[index], section, failed));
    }
    await Promise.race([workbook.commit(), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }

  const { size } = await stat(file);
  return {
    attachment: {
      path: file,
      filename,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    ...attachmentBody(input, counts, filename),
    inline: [],
    rows: counts.reduce((sum, count) => sum + count, 0),
    bytes: size,
  };
};
