import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { compile, ROW_IDENTITY, type CompileOptions, type Dialect } from '../query/compile';
import { forgetStatements, runStatement, shapeOf, statementOf, type WindowedQuery } from '../query/statements';
import type { ParsedQuery, ResultColumn } from '../query/types';
import { ERROR_CODES } from '../shared/error-codes';
import { ConflictError } from '../utils/errors';
import { snapshotWriter } from './snapshot-writer';
import type { Column, ColumnType, Row } from './sources';

export const SNAPSHOT_PREFIX = 'api_tokens_snapshot_';

export interface BuildOptions {
  /** Called after each page is written, with the rows written so far; throwing aborts the build. */
  onPage?: (rows: number) => Promise<void>;
  /** The run building the snapshot: its table is named after it, so a clean-up can tell a table still being built. */
  runId?: string | null;
}

/** The part of a table name that names the run (attempt) that built it; a random one for a build outside a run. */
export const buildTag = (runId?: string | null) =>
  runId ? runId.slice(-8).toLowerCase() : `m${randomBytes(4).toString('hex').slice(0, 7)}`;

const toNumber = (value: unknown) => (typeof value === 'number' ? value : Number(value));

const DAY_MS = 86_400_000;
/** `YYYY-MM-DDT` per day since the epoch: most rows of a snapshot share few days. */
const dayPrefixes = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
/** Date#toISOString() of epoch milliseconds, five times faster: an export formats one per row and column. */
const isoOf = (millis: number): string => {
  const day = Math.floor(millis / DAY_MS);
  if (!Number.isInteger(millis) || !Number.isFinite(day)) return new Date(millis).toISOString();
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const iso = new Date(day * DAY_MS).toISOString();
    prefix = iso.slice(0, iso.indexOf('T') + 1);
    if (dayPrefixes.size >= 100_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  const time = millis - day * DAY_MS;
  const seconds = Math.floor(time / 1000);
  return `${prefix}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${pad3(time % 1000)}Z`;
};
/** Per column type, a stored value (not null) as readers get it, the same from SQLite and PostgreSQL. */
const CONVERTERS: Record<ColumnType, (value: unknown) => unknown> = {
  string: String,
  biginteger: String,
  integer: toNumber,
  float: toNumber,
  boolean: (value) => value === true || value === 1 || value === '1' || value === 't',
  date: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  datetime: (value) =>
    typeof value === 'number'
      ? isoOf(value)
      : value instanceof Date
        ? isoOf(value.getTime())
        : new Date(value as string).toISOString(),
};

/** The default page of Selection.stream(). */
const STREAM_PAGE_SIZE = 1000;

/** The model a query reads: its served snapshot (none before the first refresh). */
export interface SnapshotModel {
  snapshotTable?: string | null;
  columns?: Column[] | null;
  documentId?: string;
}

/** A query over a model's snapshot, run on demand. */
export interface Selection {
  /** The result's columns, in order. */
  columns: ResultColumn[];
  /** How many rows the query gives (groups for a grouped query), within its own limit and offset. */
  count(): Promise<number>;
  /** A page of the query's rows: `offset` counts from the query's own offset, and the page stops at its limit. */
  rows(page?: { offset: number; limit: number }): Promise<Row[]>;
  /** Every row of the query, in pages of `pageSize` (default 1000), never all in memory. */
  stream(options?: { pageSize?: number }): AsyncIterable<Row[]>;
}

/** What a clean-up may drop, decided inside the refresh's commit. */
export interface CleanUp {
  /** The snapshot the model served before this refresh: tables built before it are stale. */
  previous: string | null;
  /** Never dropped: the new snapshot and the previous one (readers may still be on it). */
  keep: (string | null | undefined)[];
  /** buildTag()s of the model's runs still running: their tables are being built. */
  building: Set<string>;
}

/**
 * Snapshot tables of semantic models: plain tables this plugin owns (Strapi's schema sync leaves unknown tables
 * alone). A refresh builds a new table beside the current one; the model row then points at it, so readers
 * switch in one UPDATE and never see a half-built snapshot or wait for one.
 */
const snapshots = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const isSqlite = () => strapi.db.dialect.client === 'sqlite';

  const tablePrefix = (modelId: number) => `${SNAPSHOT_PREFIX}${modelId}_`;

  /** `<prefix><modelId>_<creation time, base 36>_<build tag>`; null for a table named before tags existed. */
  const parseTable = (modelId: number, table: string) => {
    const match = /^([0-9a-z]{9})_([0-9a-z]{1,8})$/.exec(table.slice(tablePrefix(modelId).length));
    return match ? { createdAt: parseInt(match[1], 36), tag: match[2] } : null;
  };

  /** Values as JSON readers expect them, whichever database stored them; built once per query, run per row. */
  const normalizer = (columns: Pick<Column, 'name' | 'type'>[]) => {
    const names = columns.map((column) => column.name);
    const converters = columns.map((column) => CONVERTERS[column.type]);
    return (row: Row): Row => {
      const out: Row = {};
      for (let i = 0; i < names.length; i += 1) {
        const value = row[names[i]];
        out[names[i]] = value === null || value === undefined ? null : converters[i](value);
      }
      return out;
    };
  };
  const normalize = (columns: Pick<Column, 'name' | 'type'>[], row: Row): Row => normalizer(columns)(row);

  /**
   * normalizer()'s values in place, on a row the driver gave for exactly these columns (in their order): only the
   * values a driver gives in another form are converted. Null when none is.
   */
  const converter = (columns: Pick<Column, 'name' | 'type'>[]): ((row: Row) => void) | null => {
    const kept: ColumnType[] = isSqlite() ? ['string', 'integer', 'float', 'date', 'biginteger'] : ['string'];
    const converted = columns.filter((column) => !kept.includes(column.type));
    if (converted.length === 0) return null;
    const names = converted.map((column) => column.name);
    const converters = converted.map((column) => CONVERTERS[column.type]);
    return (row: Row) => {
      for (let i = 0; i < names.length; i += 1) {
        const value = row[names[i]];
        if (value !== null && value !== undefined) row[names[i]] = converters[i](value);
      }
    };
  };

  /**
   * A source's values as the snapshot stores them, so filters can bind one representation per dialect: SQLite holds
   * datetimes as epoch milliseconds (what its driver makes of a Date) and dates as `YYYY-MM-DD` text.
   */
  const storable = (columns: Column[]) => {
    const datetimes = isSqlite() ? columns.filter((c) => c.type === 'datetime').map((c) => c.name) : [];
    const dates = columns.filter((c) => c.type === 'date').map((c) => c.name);
    if (datetimes.length === 0 && dates.length === 0) return null;
    return (row: Row) => {
      for (const name of datetimes) {
        const value = row[name];
        if (value !== null && value !== undefined && typeof value !== 'number') {
          row[name] = new Date(value as string | Date).getTime();
        }
      }
      for (const name of dates) {
        if (row[name] instanceof Date) row[name] = (row[name] as Date).toISOString().slice(0, 10);
      }
    };
  };

  /** Tables known to have (or lack) the row identity: a snapshot never changes once built. */
  const identities = new Map<string, boolean>();
  const hasRowIdentity = async (table: string) => {
    let known = identities.get(table);
    if (known === undefined) {
      known = await knex().schema.hasColumn(table, ROW_IDENTITY);
      identities.set(table, known);
    }
    return known;
  };

  const drop = async (table: string | null | undefined, connection: Knex = knex()) => {
    if (table && table.startsWith(SNAPSHOT_PREFIX)) {
      await connection.schema.dropTableIfExists(table);
      identities.delete(table);
      forgetStatements(table);
    }
  };

  return {
    normalize,
    drop,

    /** Builds a new snapshot table from the pages; on any failure the partial table is dropped. */
    async build(modelId: number, columns: Column[], pages: AsyncIterable<Row[]>, options: BuildOptions = {}) {
      const table = `${tablePrefix(modelId)}${Date.now().toString(36).padStart(9, '0')}_${buildTag(options.runId)}`;
      await knex().schema.createTable(table, (t) => {
        // Numbers the rows in load order, so a query without a sort pages the same way every time. Inserts omit
        // it: SQLite's INTEGER PRIMARY KEY is the rowid; PostgreSQL's sequence gets its index after the load.
        if (isSqlite()) t.specificType(ROW_IDENTITY, 'integer primary key');
        else t.bigIncrements(ROW_IDENTITY, { primaryKey: false });
        for (const { name, type } of columns) {
          if (type === 'string') t.text(name);
          else if (type === 'integer' || type === 'biginteger') t.bigInteger(name);
          else if (type === 'float') t.double(name);
          else if (type === 'boolean') t.boolean(name);
          else if (type === 'date') t.date(name);
          else t.timestamp(name, { useTz: true });
        }
      });
      let rows = 0;
      const writer = snapshotWriter(knex(), isSqlite(), table, columns);
      try {
        const toStorable = storable(columns);
        for await (const page of pages) {
          if (toStorable) page.forEach(toStorable);
          await writer.write(page);
          rows += page.length;
          // better-sqlite3 is synchronous: without a turn of the event loop, a refresh would hold up every request.
          await nextTurn();
          await options.onPage?.(rows);
        }
        await writer.end();
        // Indexes after the load: one per column, for the filters reports and embeds apply.
        await knex().schema.alterTable(table, (t) => {
          columns.forEach(({ name }, index) => t.index([name], `${table}_i${index}`));
          if (!isSqlite()) t.index([ROW_IDENTITY], `${table}_row`);
        });
        identities.set(table, true);
        if (!isSqlite()) await knex().raw('ANALYZE ??', [table]);
        return { table, rows };
      } catch (error) {
        await writer.abort(error);
        await drop(table);
        throw error;
      }
    },

    /** The model's snapshot tables, for a clean-up (listed outside its transaction: SQLite has one connection). */
    async tablesOf(modelId: number): Promise<string[]> {
      const tables: string[] = await strapi.db.dialect.schemaInspector.getTables();
      return tables.filter((table) => table.startsWith(tablePrefix(modelId)));
    },

    /**
     * Drops, in the refresh's transaction, the model's tables that no one can need: built before the previous
     * snapshot, and not by a run still running. A newer leftover (an attempt that lost its lease may still be writing
     * it) waits for a later refresh, when it is older than that one's previous snapshot. Tables named before build
     * tags existed are dropped unless kept.
     */
    async cleanUp(modelId: number, tables: string[], { previous, keep, building }: CleanUp, trx: Knex.Transaction) {
      // With no previous snapshot (or one named before tags), every tagged table is as new as it: none is stale.
      const before = (previous ? parseTable(modelId, previous)?.createdAt : undefined) ?? -Infinity;
      const dropped: string[] = [];
      for (const table of tables) {
        if (keep.includes(table)) continue;
        const parsed = parseTable(modelId, table);
        if (parsed && (parsed.createdAt >= before || building.has(parsed.tag))) continue;
        await drop(table, trx);
        dropped.push(table);
      }
      return dropped;
    },

    /** Drops every snapshot table of a model except those listed. */
    async dropAllExcept(modelId: number, keep: (string | null | undefined)[] = []) {
      const tables: string[] = await strapi.db.dialect.schemaInspector.getTables();
      const prefix = tablePrefix(modelId);
      for (const table of tables) {
        if (table.startsWith(prefix) && !keep.includes(table)) await drop(table);
      }
    },

    /**
     * A parsed query (query/parse.ts) over the model's served snapshot; a 409 MODEL_NOT_READY before its first
     * refresh. Values come back as normalize() gives them, the same on both databases.
     */
    select(model: SnapshotModel, query: ParsedQuery): Selection {
      const table = model.snapshotTable;
      if (!table) {
        throw new ConflictError('This semantic model has not been refreshed yet', {
          code: ERROR_CODES.MODEL_NOT_READY,
        });
      }
      const dialect: Dialect = isSqlite() ? 'sqlite' : 'postgres';
      /** A statement (statements.ts: compiled once per shape) run with this query's values. */
      let shape: string | null | undefined;
      const run = async (window: WindowedQuery, options: CompileOptions): Promise<Row[]> => {
        if (shape === undefined) shape = shapeOf(query);
        const variant = `${options.output ?? 'rows'}:${options.rowIdentity ?? true}:${options.after ?? false}`;
        const statement = statementOf(table, shape, window, variant, () =>
          compile(knex(), table, window, dialect, options)
        );
        return runStatement(knex(), statement, window, dialect);
      };
      const toResult = converter(query.result);

      /** The query's own window narrowed to a page of it; null when the page lies past its end. */
      const windowOf = (page?: { offset: number; limit: number }) => {
        const skip = page?.offset ?? 0;
        const left = query.limit === null ? Infinity : query.limit - skip;
        const limit = Math.min(page?.limit ?? Infinity, left);
        if (limit <= 0) return null;
        return { ...query, offset: query.offset + skip, limit: Number.isFinite(limit) ? limit : null };
      };

      const rows = async (page?: { offset: number; limit: number }) => {
        const window = windowOf(page);
        if (!window) return [];
        const result = await run(window, { rowIdentity: await hasRowIdentity(table) });
        if (toResult) for (const row of result) toResult(row);
        return result;
      };

      return {
        columns: query.result,

        async count() {
          // Rows past the query's window are not counted: its limit bounds the scan.
          const end = query.limit === null ? null : query.offset + query.limit;
          const [{ n }] = await run({ ...query, limit: end, offset: 0 }, { output: 'count' });
          return Math.max(0, Number(n) - query.offset);
        },

        rows,

        async *stream({ pageSize = STREAM_PAGE_SIZE } = {}) {
          const keyset = query.groupBy.length === 0 && query.aggregates.length === 0 && query.sort.length === 0;
          if (!keyset || !(await hasRowIdentity(table))) {
            // Offset pages over the query's total order.
            for (let offset = 0; ; offset += pageSize) {
              const page = await rows({ offset, limit: pageSize });
              if (page.length > 0) yield page;
              if (page.length < pageSize) return;
            }
          }
          // Keyset pages over the row identity: each page starts where the last ended, however deep.
          const toRow = normalizer(query.result);
          let last: number | null = null;
          for (let served = 0; ; ) {
            const window = windowOf({ offset: served, limit: pageSize });
            if (!window) return;
            const page: Row[] =
              last === null
                ? await run(window, { output: 'keyset' })
                : await run({ ...window, offset: 0, after: last }, { output: 'keyset', after: true });
            if (page.length === 0) return;
            last = Number(page[page.length - 1][ROW_IDENTITY]);
            served += page.length;
            yield page.map(toRow);
            if (page.length < (window.limit ?? pageSize)) return;
          }
        },
      };
    },
  };
};

export type SnapshotsService = ReturnType<typeof snapshots>;
export default snapshots;
