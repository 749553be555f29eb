import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Column, Row } from './sources';

export const SNAPSHOT_PREFIX = 'api_tokens_snapshot_';

/** SQLite allows 32766 bound parameters per statement (PostgreSQL 65535); stay well below. */
const MAX_PARAMETERS = 30_000;
/** knex writes a multi-row SQLite insert as one SELECT … UNION ALL …, and SQLite allows 500 terms in one. */
const MAX_SQLITE_ROWS = 500;

export interface BuildOptions {
  /** Called after each page is written, with the rows written so far; throwing aborts the build. */
  onPage?: (rows: number) => Promise<void>;
  /** The run building the snapshot: its table is named after it, so a clean-up can tell a table still being built. */
  runId?: string | null;
}

/** The part of a table name that names the run (attempt) that built it; a random one for a build outside a run. */
export const buildTag = (runId?: string | null) =>
  runId ? runId.slice(-8).toLowerCase() : `m${randomBytes(4).toString('hex').slice(0, 7)}`;

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

  /** Values as JSON readers expect them, whichever database stored them. */
  const normalize = (columns: Column[], row: Row): Row => {
    const out: Row = {};
    for (const { name, type } of columns) {
      const value = row[name];
      if (value === null || value === undefined) out[name] = null;
      else if (type === 'boolean') out[name] = value === true || value === 1 || value === '1' || value === 't';
      else if (type === 'integer' || type === 'float') out[name] = Number(value);
      else if (type === 'datetime') out[name] = new Date(value as string | number).toISOString();
      else if (type === 'date') out[name] = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
      else out[name] = String(value);
    }
    return out;
  };

  // SQLite's driver reads a bigint as a double; text keeps every digit (PostgreSQL's already returns a string).
  const selectable = ({ name, type }: Column) =>
    isSqlite() && type === 'biginteger' ? knex().raw('CAST(?? AS TEXT) as ??', [name, name]) : name;

  const drop = async (table: string | null | undefined, connection: Knex = knex()) => {
    if (table && table.startsWith(SNAPSHOT_PREFIX)) await connection.schema.dropTableIfExists(table);
  };

  return {
    normalize,
    drop,

    /** Builds a new snapshot table from the pages; on any failure the partial table is dropped. */
    async build(modelId: number, columns: Column[], pages: AsyncIterable<Row[]>, options: BuildOptions = {}) {
      const table = `${tablePrefix(modelId)}${Date.now().toString(36).padStart(9, '0')}_${buildTag(options.runId)}`;
      await knex().schema.createTable(table, (t) => {
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
      try {
        const byParameters = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(columns.length, 1)));
        const chunk = isSqlite() ? Math.min(byParameters, MAX_SQLITE_ROWS) : byParameters;
        for await (const page of pages) {
          // One transaction (one commit) per page; knex's batchInsert would open one per chunk.
          await knex().transaction(async (trx) => {
            for (let i = 0; i < page.length; i += chunk) await trx(table).insert(page.slice(i, i + chunk));
          });
          rows += page.length;
          // better-sqlite3 is synchronous: without a turn of the event loop, a refresh would hold up every request.
          await nextTurn();
          await options.onPage?.(rows);
        }
        // Indexes after the load: one per column, for the filters reports and embeds apply.
        await knex().schema.alterTable(table, (t) => {
          columns.forEach(({ name }, index) => t.index([name], `${table}_i${index}`));
        });
        if (!isSqlite()) await knex().raw('ANALYZE ??', [table]);
        return { table, rows };
      } catch (error) {
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

    async rows(table: string, columns: Column[], { limit, offset = 0 }: { limit: number; offset?: number }) {
      const rows = await knex()(table).select(columns.map(selectable)).limit(limit).offset(offset);
      return rows.map((row: Row) => normalize(columns, row));
    },

    async distinct(table: string, column: Column, { order, limit }: { order: 'asc' | 'desc'; limit: number }) {
      const rows = await knex()(table)
        .distinct(selectable(column))
        .whereNotNull(column.name)
        .orderBy(`${table}.${column.name}`, order)
        .limit(limit);
      return rows.map((row: Row) => normalize([column], row)[column.name]);
    },
  };
};

export type SnapshotsService = ReturnType<typeof snapshots>;
export default snapshots;
