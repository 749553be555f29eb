import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import yazl from 'yazl';
import type { RenderSection, Renderer } from '../types';
import { attachmentBody } from './attachment-body';
import { csvCell } from './cells';
import { drained } from './drained';
import { uniqueFileNames } from './file-names';

/**
 * RFC 4180 (CRLF records, fields quoted when needed) with a UTF-8 BOM so spreadsheets read the text as UTF-8. Text
 * cells starting with = + - @ (a formula to a spreadsheet) get a leading `'`; numbers never do.
 */
const CSV_OPTIONS = { bom: true, record_delimiter: 'windows', escape_formulas: true } as const;

/** Writes the header, then each row's fields, reading the next page only once the stringifier has taken this one. */
const feed = async (section: RenderSection, stringifier: Writable, counted: (rows: number) => void) => {
  const { columns } = section;
  stringifier.write(columns.map((column) => column.name));
  for await (const page of section.rows()) {
    for (const row of page) {
      const record = new Array(columns.length);
      for (let i = 0; i < columns.length; i += 1) record[i] = csvCell(columns[i].type, row[columns[i].name]);
      if (!stringifier.write(record)) await drained(stringifier);
    }
    counted(page.length);
  }
};

/** A section's CSV as a byte stream, for a file or a zip entry; `counted` hears of each page written. */
export const csvStream = (section: RenderSection, counted: (rows: number) => void): Readable => {
  const stringifier = stringify(CSV_OPTIONS);
  feed(section, stringifier, counted).then(
    () => stringifier.end(),
    (error: Error) => stringifier.destroy(error)
  );
  return stringifier;
};

/** Streams a dashboard's sections into one zip, a CSV per section named after its title. */
const writeZip = async (sections: RenderSection[], file: string, counts: number[]) => {
  const zip = new yazl.ZipFile();
  let fail: (error: Error) => void = () => undefined;
  // yazl hears no errors of an entry's stream: a failing section rejects here.
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
    zip.once('error', reject);
  });
  const names = uniqueFileNames(
    sections.map((section) => section.title),
    'csv'
  );
  sections.forEach((section, index) => {
    // Lazy: a section's query starts when the zip reaches its entry, so one section streams at a time.
    zip.addReadStreamLazy(names[index], (callback) => {
      const stream = csvStream(section, (rows) => {
        counts[index] += rows;
      });
      stream.once('error', fail);
      callback(null, stream);
    });
  });
  zip.end();
  const written = pipeline(zip.outputStream, createWriteStream(file));
  try {
    await Promise.race([written, failed]);
  } catch (error) {
    (zip.outputStream as Readable).destroy();
    await written.catch(() => undefined);
    throw error;
  }
};

/** A report as one CSV; a dashboard as a zip of one CSV per section. */
export const renderCsv: Renderer = async (input) => {
  const dashboard = input.targetType === 'dashboard';
  const [filename] = uniqueFileNames([input.title], dashboard ? 'zip' : 'csv');
  const file = path.join(input.directory, filename);
  const counts = input.sections.map(() => 0);

  if (dashboard) {
    await writeZip(input.sections, file, counts);
  } else {
    const [section] = input.sections;
    if (!section || input.sections.length !== 1) throw new Error('A report renders exactly one section');
    await pipeline(
      csvStream(section, (rows) => {
        counts[0] += rows;
      }),
      createWriteStream(file)
    );
  }

  const { size } = await stat(file);
  return {
    attachment: { path: file, filename, contentType: dashboard ? 'application/zip' : 'text/csv; charset=utf-8' },
    ...attachmentBody(input, counts, filename),
    inline: [],
    rows: counts.reduce((sum, count) => sum + count, 0),
    bytes: size,
  };
};
