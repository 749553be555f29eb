/**
 * The subscription renderers, without Strapi: sections are built from arrays, rendered into a temporary directory,
 * and read back with the tools a recipient's software would use (csv-parse, exceljs, a zip reader, a PDF's text).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { chartOption } from '../../src/plugins/api-tokens/server/src/shared/chart-option';
import type { ResultColumn } from '../../src/plugins/api-tokens/server/src/query/types';
import { render, renderers } from '../../src/plugins/api-tokens/server/src/subscriptions/render';
import type { RenderInput, RenderSection } from '../../src/plugins/api-tokens/server/src/subscriptions/types';
import { pdfPages, pdfTitle } from '../helpers/pdf-text';

type Row = Record<string, unknown>;

const COLUMNS: ResultColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'amount', type: 'float' },
  { name: 'big', type: 'biginteger' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'datetime' },
  { name: 'ok', type: 'boolean' },
];

/** Values as the snapshot store gives them (and a Date or two, which the renderers accept as well). */
const TYPED_ROWS: Row[] = [
  {
    id: 1,
    name: 'Plain',
    amount: 1234.5,
    big: '9007199254740993',
    day: '2024-02-29',
    at: '2024-03-01T12:34:56.789Z',
    ok: true,
  },
  {
    id: -2,
    name: 'Comma, "quoted"\r\nnew line',
    amount: -0.25,
    big: '-42',
    day: null,
    at: new Date(Date.UTC(2023, 11, 31, 23, 59, 59)),
    ok: false,
  },
  { id: null, name: 'Zürich 東京 🚀', amount: null, big: null, day: new Date('2024-01-05T00:00:00Z'), at: null, ok: null },
  { id: 4, name: '=SUM(A1:A2)', amount: 0.1, big: '12', day: '2024-12-31', at: '2024-12-31T00:00:00.000Z', ok: true },
];

/** The same rows as CSV fields, read back. */
const TYPED_CSV = [
  ['id', 'name', 'amount', 'big', 'day', 'at', 'ok'],
  ['1', 'Plain', '1234.5', '9007199254740993', '2024-02-29', '2024-03-01 12:34:56', 'true'],
  ['-2', 'Comma, "quoted"\r\nnew line', '-0.25', '-42', '', '2023-12-31 23:59:59', 'false'],
  ['', 'Zürich 東京 🚀', '', '', '2024-01-05', '', ''],
  // A text cell a spreadsheet would run as a formula is kept as text.
  ['4', "'=SUM(A1:A2)", '0.1', '12', '2024-12-31', '2024-12-31 00:00:00', 'true'],
];

interface SectionOptions {
  pageSize?: number;
  chart?: RenderSection['chart'];
  summary?: string[];
  columns?: ResultColumn[];
}

/** A section over `rows`, served in pages as the snapshot store's stream does. */
const section = (title: string, rows: Row[], options: SectionOptions = {}): RenderSection => ({
  title,
  columns: options.columns ?? COLUMNS,
  chart: options.chart ?? null,
  summary: options.summary ?? [],
  async *rows() {
    const size = options.pageSize ?? 100;
    for (let offset = 0; offset < rows.length; offset += size) yield rows.slice(offset, offset + size);
  },
});

const manyRows = (count: number, name = (i: number) => `row ${i}`): Row[] =>
  Array.from({ length: count }, (_, i) => ({
    id: i,
    name: name(i),
    amount: i * 1.5,
    big: String(i * 1000),
    day: '2024-05-01',
    at: '2024-05-01T08:00:00.000Z',
    ok: i % 2 === 0,
  }));

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'render-test-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

const input = (overrides: Partial<RenderInput> & Pick<RenderInput, 'sections'>): RenderInput => ({
  title: 'Weekly sales',
  targetType: 'report',
  directory,
  htmlRowLimit: 50,
  ...overrides,
});

const readZip = (file: string) =>
  new Promise<Map<string, Buffer>>((resolve, reject) => {
    const entries = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });

const readWorkbook = async (file: string) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
};

const barChart = (title: string) =>
  chartOption(
    { type: 'bar', x: 'region', y: ['revenue'] },
    [
      { name: 'region', type: 'string' },
      { name: 'revenue', type: 'float' },
    ],
    [
      { region: 'North', revenue: 120 },
      { region: 'South', revenue: 80 },
    ],
    { title }
  );

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('CSV', () => {
  it('writes RFC 4180 with a BOM that reads back to the typed values', async () => {
    const rendered = await render(
      'csv',
      input({ title: 'Sales / North', sections: [section('Sales', TYPED_ROWS, { summary: ['region = North'] })] })
    );

    expect(rendered.attachment).toEqual({
      path: path.join(directory, 'Sales North.csv'),
      filename: 'Sales North.csv',
      contentType: 'text/csv; charset=utf-8',
    });
    const bytes = readFileSync(rendered.attachment!.path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.slice(1).startsWith('id,name,amount,big,day,at,ok\r\n')).toBe(true);
    expect(text).toContain('"Comma, ""quoted""\r\nnew line"');
    expect(parse(bytes, { bom: true })).toEqual(TYPED_CSV);
    expect(rendered.rows).toBe(4);
    expect(rendered.bytes).toBe(bytes.length);
    expect(rendered.inline).toEqual([]);
    expect(rendered.html).toContain('region = North');
    expect(rendered.html).toContain('attached as <strong>Sales North.csv</strong>');
    expect(rendered.text).toContain('4 rows');
    expect(rendered.text).toContain('The report is attached as Sales North.csv.');
  });

  it('writes only the header for a report without rows', async () => {
    const rendered = await render('csv', input({ sections: [section('Empty', [])] }));
    expect(parse(readFileSync(rendered.attachment!.path), { bom: true })).toEqual([TYPED_CSV[0]]);
    expect(rendered.rows).toBe(0);
  });

  it('zips a dashboard as one CSV per section, named after the sections', async () => {
    const rendered = await render(
      'csv',
      input({
        title: 'Weekly dashboard',
        targetType: 'dashboard',
        sections: [
          section('North sales', manyRows(250), { pageSize: 100 }),
          section('North sales', TYPED_ROWS),
          section('a/b: c?', manyRows(3)),
        ],
      })
    );

    expect(rendered.attachment).toMatchObject({ filename: 'Weekly dashboard.zip', contentType: 'application/zip' });
    const entries = await readZip(rendered.attachment!.path);
    expect([...entries.keys()]).toEqual(['North sales.csv', 'North sales (2).csv', 'a b c.csv']);
    const north = parse(entries.get('North sales.csv')!, { bom: true }) as string[][];
    expect(north).toHaveLength(251);
    expect(north[250]).toEqual(['249', 'row 249', '373.5', '249000', '2024-05-01', '2024-05-01 08:00:00', 'false']);
    expect(parse(entries.get('North sales (2).csv')!, { bom: true })).toEqual(TYPED_CSV);
    expect(parse(entries.get('a b c.csv')!, { bom: true })).toHaveLength(4);
    expect(rendered.rows).toBe(250 + 4 + 3);
    expect(rendered.bytes).toBe(statSync(rendered.attachment!.path).size);
    expect(rendered.text).toContain('North sales');
    expect(rendered.text).toContain('250 rows');
  });

  it('reads 50,000 rows a page at a time, writing each page out before asking for the next', async () => {
    const pageSize = 1000;
    const pages = 50;
    // Fixed-width rows, so bytes on disk count rows: `00000,xxxxxxxxxx\r\n`.
    const rowBytes = 18;
    const file = path.join(directory, 'Lazy.csv');
    const onDiskAtRequest: number[] = [];
    const lazy: RenderSection = {
      title: 'Lazy',
      columns: [
        { name: 'id', type: 'string' },
        { name: 'text', type: 'string' },
      ],
      chart: null,
      summary: [],
      async *rows() {
        for (let p = 0; p < pages; p += 1) {
          onDiskAtRequest.push(statSync(file, { throwIfNoEntry: false })?.size ?? 0);
          yield Array.from({ length: pageSize }, (_, i) => ({
            id: String(p * pageSize + i).padStart(5, '0'),
            text: 'x'.repeat(10),
          }));
        }
      },
    };

    const rendered = await render('csv', input({ title: 'Lazy', sections: [lazy] }));

    expect(rendered.rows).toBe(pages * pageSize);
    expect(onDiskAtRequest).toHaveLength(pages);
    // Pages requested but not yet on disk: the one being written and the streams' buffers (16 KB each), never more.
    const ahead = onDiskAtRequest.map((bytes, requested) => requested - Math.floor(bytes / (rowBytes * pageSize)));
    expect(Math.max(...ahead)).toBeLessThanOrEqual(4);
    expect(rendered.bytes).toBe(3 + 'id,text\r\n'.length + pages * pageSize * rowBytes);
  });

  it('fails, without hanging, when reading the rows fails', async () => {
    const failing: RenderSection = {
      ...section('Failing', []),
      async *rows() {
        yield manyRows(10);
        throw new Error('the snapshot is gone');
      },
    };
    await expect(render('csv', input({ sections: [failing] }))).rejects.toThrow('the snapshot is gone');
    await expect(render('csv', input({ targetType: 'dashboard', sections: [failing] }))).rejects.toThrow(
      'the snapshot is gone'
    );
  });
});

describe('XLSX', () => {
  it('writes typed cells under a bold, frozen header', async () => {
    const rendered = await render('xlsx', input({ sections: [section('Sales', TYPED_ROWS)] }));

    expect(rendered.attachment).toMatchObject({
      filename: 'Weekly sales.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(rendered.rows).toBe(4);
    expect(rendered.bytes).toBe(statSync(rendered.attachment!.path).size);
    const workbook = await readWorkbook(rendered.attachment!.path);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Sales']);
    const sheet = workbook.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, 'id', 'name', 'amount', 'big', 'day', 'at', 'ok']);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(5);

    const [, id, name, amount, big, day, at, ok] = sheet.getRow(2).values as unknown[];
    expect([id, name, amount, ok]).toEqual([1, 'Plain', 1234.5, true]);
    // Past 2^53 a biginteger stays exact as text.
    expect(big).toBe('9007199254740993');
    expect(day).toEqual(new Date('2024-02-29T00:00:00.000Z'));
    expect(sheet.getRow(2).getCell(5).numFmt).toBe('yyyy-mm-dd');
    expect(at).toBeInstanceOf(Date);
    expect(Math.abs((at as Date).getTime() - Date.parse('2024-03-01T12:34:56.789Z'))).toBeLessThan(2);
    expect(sheet.getRow(2).getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm:ss');

    const second = sheet.getRow(3);
    expect(second.getCell(1).value).toBe(-2);
    // Excel's line break in a cell is a line feed.
    expect(second.getCell(2).value).toBe('Comma, "quoted"\nnew line');
    expect(second.getCell(4).value).toBe(-42);
    expect(second.getCell(5).value).toBeNull();
    expect(second.getCell(6).value).toEqual(new Date('2023-12-31T23:59:59.000Z'));
    expect(second.getCell(7).value).toBe(false);

    const third = sheet.getRow(4);
    expect(third.getCell(1).value).toBeNull();
    expect(third.getCell(2).value).toBe('Zürich 東京 🚀');
    expect(third.getCell(5).value).toEqual(new Date('2024-01-05T00:00:00.000Z'));
    expect(third.getCell(7).value).toBeNull();
    // Text in a spreadsheet cell is never run as a formula: it stays as it was.
    expect(sheet.getRow(5).getCell(2).value).toBe('=SUM(A1:A2)');
  });

  it('writes a sheet per dashboard section, with valid unique names', async () => {
    const long = 'A very long report name that Excel would refuse';
    const rendered = await render(
      'xlsx',
      input({
        targetType: 'dashboard',
        sections: [
          section('Sales: North/South [2024]', manyRows(1200), { pageSize: 500 }),
          section(long, manyRows(2)),
          section(long, []),
          section('history', manyRows(1)),
        ],
      })
    );

    const workbook = await readWorkbook(rendered.attachment!.path);
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names).toEqual([
      'Sales North South 2024',
      'A very long report name that Ex',
      'A very long report name tha (2)',
      'history (2)',
    ]);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]/);
    }
    expect(workbook.worksheets.map((sheet) => sheet.rowCount)).toEqual([1201, 3, 1, 2]);
    expect(workbook.worksheets[0].getRow(1201).getCell(2).value).toBe('row 1199');
    expect(workbook.worksheets.every((sheet) => (sheet.views[0] as { ySplit?: number })?.ySplit === 1)).toBe(true);
    expect(rendered.rows).toBe(1203);
  });

  it('fails, without hanging, when reading the rows fails', async () => {
    const failing: RenderSection = {
      ...section('Failing', []),
      async *rows() {
        yield manyRows(10);
        throw new Error('the snapshot is gone');
      },
    };
    await expect(render('xlsx', input({ sections: [failing] }))).rejects.toThrow('the snapshot is gone');
  });
});

describe('PDF', () => {
  it('draws the title, summary, chart and a table whose header repeats on every page', async () => {
    const title = 'Wöchentliche Umsätze';
    const long = `Lorem ipsum ${'dolor sit amet '.repeat(40)}END`;
    const rows = manyRows(300, (i) => (i === 7 ? long : `row ${i}`));
    const rendered = await render(
      'pdf',
      input({
        title,
        sections: [section(title, rows, { chart: barChart('Revenue by region'), summary: ['region = North'] })],
      })
    );

    expect(rendered.attachment).toMatchObject({ filename: `${title}.pdf`, contentType: 'application/pdf' });
    const pdf = readFileSync(rendered.attachment!.path);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(rendered.bytes).toBe(pdf.length);
    expect(rendered.rows).toBe(300);
    expect(pdfTitle(pdf)).toBe(title);

    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0].slice(0, 2)).toEqual([title, 'region = North']);
    // The chart is drawn as vectors with its text (one run per glyph), above the table.
    expect(pages[0].join('')).toContain('Revenue by region');
    for (const runs of pages) {
      const header = runs.indexOf('id');
      expect(runs.slice(header, header + COLUMNS.length)).toEqual(COLUMNS.map((column) => column.name));
    }
    const runs = pages.flat();
    for (let i = 0; i < 300; i += 1) if (i !== 7) expect(runs).toContain(`row ${i}`);
    expect(runs).toContain('1,000');
    expect(runs).toContain('2024-05-01 08:00:00');
    // The long cell is cut to its column, with an ellipsis.
    const cut = runs.find((run) => run.startsWith('Lorem ipsum'));
    expect(cut).toMatch(/…$/);
    expect(cut!.length).toBeLessThan(long.length);
    expect(pages[pages.length - 1]).toContain('300 rows');
  });

  it('draws every section of a dashboard in order in one document', async () => {
    const rendered = await render(
      'pdf',
      input({
        title: 'Weekly dashboard',
        targetType: 'dashboard',
        sections: [
          section('First report', manyRows(5, (i) => `first ${i}`), { chart: barChart('First chart') }),
          section('Second report', manyRows(80, (i) => `second ${i}`)),
          section('Third report', TYPED_ROWS),
        ],
      })
    );

    const pdf = readFileSync(rendered.attachment!.path);
    expect(pdfTitle(pdf)).toBe('Weekly dashboard');
    const runs = pdfPages(pdf).flat();
    const at = (text: string) => runs.indexOf(text);
    expect(at('Weekly dashboard')).toBe(0);
    expect(at('First report')).toBeGreaterThan(0);
    expect(at('first 4')).toBeGreaterThan(at('First report'));
    expect(at('Second report')).toBeGreaterThan(at('first 4'));
    expect(at('second 79')).toBeGreaterThan(at('Second report'));
    expect(at('Third report')).toBeGreaterThan(at('second 79'));
    // DejaVu has no CJK or emoji glyphs: what it has is drawn.
    expect(runs.some((run) => run.startsWith('Zürich '))).toBe(true);
    expect(runs).toContain('9,007,199,254,740,993');
    expect(rendered.rows).toBe(5 + 80 + 4);
  });
});

describe('HTML', () => {
  const count = (text: string, needle: string) => text.split(needle).length - 1;

  it('puts the first rows in an escaped table and the chart as a cid: PNG', async () => {
    const rows = manyRows(25, (i) => (i === 0 ? '<script>alert("x")</script> & more' : `row ${i}`));
    const rendered = await render(
      'html',
      input({
        htmlRowLimit: 10,
        sections: [section('Weekly sales', rows, { chart: barChart('Revenue'), summary: ['region = <North>'] })],
      })
    );

    expect(rendered.attachment).toBeNull();
    expect(rendered.rows).toBe(25);
    expect(rendered.bytes).toBe(Buffer.byteLength(rendered.html));
    const { html } = rendered;
    expect(html).toContain('<table');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain('region = &lt;North&gt;');
    expect(html).toContain('<td style="padding:4px 8px;border-bottom:1px solid #eaeaef;vertical-align:top;">row 9</td>');
    expect(html).not.toContain('row 10<');
    expect(count(html, '<tr>')).toBe(1 + 10);
    expect(html).toContain('Showing 10 of 25 rows.');

    const cids = [...html.matchAll(/src="cid:([^"]+)"/g)].map((match) => match[1]);
    expect(cids).toHaveLength(1);
    expect(rendered.inline.map((image) => image.cid)).toEqual(cids);
    const [image] = rendered.inline;
    expect(image.contentType).toBe('image/png');
    expect(image.filename).toMatch(/\.png$/);
    expect(image.content.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    expect(rendered.text).toContain('Weekly sales');
    expect(rendered.text).toContain('row 9');
    expect(rendered.text).not.toContain('row 10');
    expect(rendered.text).toContain('Showing 10 of 25 rows.');
  });

  it('keeps control characters in values out of the body and the chart', async () => {
    const columns: ResultColumn[] = [
      { name: 'region', type: 'string' },
      { name: 'revenue', type: 'float' },
    ];
    const rows = [{ region: 'bad\u0001name\u000b', revenue: 5 }];
    const chart = chartOption({ type: 'bar', x: 'region', y: ['revenue'] }, columns, rows);
    const rendered = await render('html', input({ sections: [section('Weekly sales', rows, { columns, chart })] }));
    expect(rendered.inline[0].content.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(rendered.html).toContain('>badname</td>');
    expect(rendered.html + rendered.text).not.toMatch(/[\u0001\u000b]/);
    const pdf = await render('pdf', input({ sections: [section('Weekly sales', rows, { columns, chart })] }));
    expect(pdfPages(readFileSync(pdf.attachment!.path)).flat()).toContain('badname');
  });

  it('has no image for a table report, and every section for a dashboard', async () => {
    const rendered = await render(
      'html',
      input({
        targetType: 'dashboard',
        htmlRowLimit: 5,
        sections: [
          section('Table only', TYPED_ROWS),
          section('Charted', manyRows(3), { chart: barChart('Bars') }),
          section('Empty', []),
        ],
      })
    );
    expect(rendered.rows).toBe(7);
    expect(rendered.inline).toHaveLength(1);
    expect(count(rendered.html, '<img')).toBe(1);
    expect(rendered.html).toContain('Zürich 東京 🚀');
    expect(rendered.html).toContain('No rows.');
    expect(rendered.html.indexOf('Table only')).toBeLessThan(rendered.html.indexOf('Charted'));

    const table = await render('html', input({ sections: [section('Weekly sales', TYPED_ROWS)] }));
    expect(table.inline).toEqual([]);
    expect(table.html).not.toContain('<img');
    expect(table.html).toContain('4 rows');
    expect(table.html).not.toContain('Showing');
  });
});

describe.each(['csv', 'xlsx', 'pdf'] as const)('%s when the file cannot be written', (format) => {
  it('fails and stops reading an endless source, closing it', async () => {
    let pages = 0;
    let closed = false;
    const endless: RenderSection = {
      ...section('Endless', []),
      async *rows() {
        try {
          for (;;) {
            pages += 1;
            yield manyRows(200);
          }
        } finally {
          closed = true;
        }
      },
    };
    const missing = path.join(directory, 'missing', 'deeper');
    await expect(render(format, input({ directory: missing, sections: [endless] }))).rejects.toThrow(/ENOENT/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
    expect(pages).toBeLessThan(50);
  });
});

describe('render', () => {
  it('has a renderer per format and refuses what it cannot render', async () => {
    expect(Object.keys(renderers).sort()).toEqual(['csv', 'html', 'pdf', 'xlsx']);
    await expect(render('doc' as never, input({ sections: [section('a', [])] }))).rejects.toThrow('Unknown');
    await expect(render('csv', input({ sections: [section('a', []), section('b', [])] }))).rejects.toThrow(
      'one section'
    );
    await expect(render('pdf', input({ targetType: 'dashboard', sections: [] }))).rejects.toThrow('nothing to render');
  });
});
