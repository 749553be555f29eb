import type { Core } from '@strapi/strapi';
import type { Column, Row } from './sources';

export const SNAPSHOT_PREFIX = 'api_tokens_snapshot_';

/** SQLite allows 32766 bound parameters per statement (PostgreSQL 65535); stay well below. */
const MAX_PARAMETERS = 30_000;
/** knex writes a multi-row SQLite insert as one SELECT … UNION ALL …, and SQLite allows 500 terms in one. */
const MAX_SQLITE_ROWS = 500;

export interface BuildOptions {
  /** Called after each page is written, with the rows written so far; throwing aborts the build. */
  onPage?: (rows: number) => Promise<void>;
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

  const drop = async (table: string | null | undefined) => {
    if (table && table.startsWith(SNAPSHOT_PREFIX)) await knex().schema.dropTableIfExists(table);
  };

  return {
    normalize,
    drop,

    /** Builds a new snapshot table from the pages; on any failure the partial table is dropped. */
    async build(modelId: number, columns: Column[], pages: AsyncIterable<Row[]>, options: BuildOptions = {}) {
      const table = `${tablePrefix(modelId)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
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
