import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { LeaseLost } from '../jobs/errors';
import { ConflictError, describeError, fieldError } from '../utils/errors';
import { getService } from '../utils/get-service';
import { parseQuery } from '../query/parse';
import type { Filter } from '../query/types';
import { ERROR_CODES } from '../shared/error-codes';
import type { ModelInput, SemanticModel } from '../shared/types';
import { uniqueNames } from '../utils/unique-name';
import { buildTag } from './snapshot-store';
import type { Column, SourceReader } from './sources';

export const MODEL_UID = 'plugin::api-tokens.semantic-model';
const PAGE_SIZE = 1000;

export type { ModelInput } from '../shared/types';

/** Thrown from `onPage` to stop a refresh that was cancelled: the model goes back to what it served. */
export class RefreshCancelled extends Error {
  constructor() {
    super('Refresh cancelled');
  }
}

export interface RefreshHooks {
  /** After each page; throw to stop the refresh (e.g. when the run was cancelled). */
  onPage?: (rows: number) => Promise<void>;
  /** The run refreshing the model: its snapshot table is named after it. */
  runId?: string;
  /**
   * Runs the pointer swap and the clean-up in one transaction: the run's fenced `RunContext.commit`, which writes
   * nothing once the run was taken over. A plain transaction without one.
   */
  commit?: <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;
}

type Row = Record<string, any>;

const PUBLIC_FIELDS = [
  'id',
  'documentId',
  'name',
  'source',
  'refresh',
  'status',
  'lastRefreshedAt',
  'rowCount',
  'lastError',
  'scheduleDisabledReason',
  'columns',
  'createdAt',
  'updatedAt',
];

const serialize = (row: Row): Omit<SemanticModel, 'nextRefreshAt'> => {
  const out: Row = {};
  for (const field of PUBLIC_FIELDS) out[field] = row[field] ?? null;
  out.rowCount = Number(row.rowCount ?? 0);
  return out as Omit<SemanticModel, 'nextRefreshAt'>;
};

export type SerializedModel = ReturnType<typeof serialize>;

/** Adds each model's next scheduled refresh (null when it has none), from the scheduler's rows, in one query. */
const withNextRefresh = async (models: SerializedModel[]) => {
  const next = await getService('schedules').nextRuns(
    'refresh',
    models.map((model) => model.documentId)
  );
  return models.map((model) => ({ ...model, nextRefreshAt: next.get(model.documentId)?.toISOString() ?? null }));
};

const semanticModels = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(MODEL_UID);
  /** The final writes of a refresh outside a run: one transaction (the model's queries join it). */
  const plainCommit = async <T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
    (await strapi.db.transaction(({ trx }) => fn(trx))) as T;
  const names = uniqueNames(strapi, MODEL_UID, 'A semantic model');

  const findRow = async (documentId: string): Promise<Row> => {
    const row = await query().findOne({ where: { documentId } });
    if (!row) throw new errors.NotFoundError('Semantic model not found');
    return row;
  };

  /**
   * A 403 naming what the admin may not read, when the source's type asks (the content-type source: the content
   * manager's read permission on the type and each field). Without a reader (the scheduler, the refresh route, the
   * demo seed) nothing is checked.
   */
  const authorize = async (source: ModelInput['source'], reader?: SourceReader) => {
    if (!reader) return;
    const denial = await getService('sources').get(source?.type)?.authorize?.(source, reader);
    if (denial) throw new errors.PolicyError(denial.message, { code: denial.code, ...denial.details });
  };

  /** The snapshot a model serves to this reader, or a 409 when it has none yet. */
  const servedSnapshot = async (documentId: string, reader?: SourceReader) => {
    const row = await findRow(documentId);
    await authorize(row.source, reader);
    if (!row.snapshotTable) {
      throw new ConflictError('This semantic model has not been refreshed yet', { code: ERROR_CODES.MODEL_NOT_READY });
    }
    return { row, table: row.snapshotTable as string, columns: (row.columns ?? []) as Column[] };
  };

  /** The distinct non-null values of a column of a served snapshot, for data inputs; they follow each refresh. */
  const distinctOf = async (
    { row, columns }: { row: Row; columns: Column[] },
    column: string,
    { order = 'asc', limit = 1000, filters = [] }: { order?: 'asc' | 'desc'; limit?: number; filters?: Filter[] } = {}
  ) => {
    if (!columns.some((candidate) => candidate.name === column)) {
      throw fieldError('column', `column must be one of: ${columns.map((c) => c.name).join(', ')}`);
    }
    // One more than asked: NULL, the smallest value, may take a place, and is no option.
    const query = parseQuery({ groupBy: [column], sort: [{ field: column, dir: order }], limit: limit + 1 }, columns, {
      maxLimit: limit + 1,
    });
    const rows = await getService('snapshots')
      .select(row, { ...query, filters })
      .rows();
    return rows
      .map((value) => value[column])
      .filter((value) => value !== null)
      .slice(0, limit);
  };

  return {
    serialize,
    findRow,
    authorize,
    servedSnapshot,

    async list() {
      const rows = await query().findMany({ orderBy: [{ name: 'asc' }] });
      return withNextRefresh(rows.map(serialize));
    },

    async findOne(documentId: string) {
      const [model] = await withNextRefresh([serialize(await findRow(documentId))]);
      return model;
    },

    async create(input: ModelInput, reader?: SourceReader) {
      await authorize(input.source, reader);
      const row = await names.create({ ...input, status: 'empty', rowCount: 0 });
      await getService('schedules').sync('refresh', row.documentId);
      const [model] = await withNextRefresh([serialize(row)]);
      return model;
    },

    async update(documentId: string, input: Partial<ModelInput>, reader?: SourceReader) {
      const row = await findRow(documentId);
      await authorize(input.source ?? row.source, reader);
      const data: Row = { ...input };
      // A new schedule starts afresh after an auto-disable.
      if (input.refresh) data.scheduleDisabledReason = null;
      const updated = await names.update(row, data);
      if (input.refresh) await getService('schedules').sync('refresh', documentId);
      const [model] = await withNextRefresh([serialize(updated)]);
      return model;
    },

    /** 409 MODEL_IN_USE while reports use the model. */
    async delete(documentId: string) {
      const row = await findRow(documentId);
      const reports = await getService('reports').usingModel(documentId);
      if (reports.length > 0) {
        throw new ConflictError(
          `The semantic model "${row.name}" is used by the report(s) ${reports.map((r) => `"${r.name}"`).join(', ')}`,
          { code: ERROR_CODES.MODEL_IN_USE, reports }
        );
      }
      await query().delete({ where: { id: row.id } });
      await getService('schedules').sync('refresh', documentId);
      await getService('runs').cancelActive('refresh', documentId);
      await getService('snapshots').dropAllExcept(row.id);
      return { ...serialize(row), nextRefreshAt: null };
    },

    /**
     * Materialises the model's source into a new snapshot and swaps it in through `hooks.commit`. On failure (or when
     * the commit is refused) the new table is dropped, the previous snapshot keeps serving and the error is recorded
     * on the model.
     */
    async refresh(documentId: string, hooks: RefreshHooks = {}): Promise<{ rows: number }> {
      const row = await findRow(documentId);
      const source = getService('sources').get(row.source?.type);
      const snapshots = getService('snapshots');
      const commit = hooks.commit ?? plainCommit;
      let built: { table: string; rows: number } | null = null;
      await query().update({ where: { id: row.id }, data: { status: 'refreshing' } });
      try {
        if (!source) throw new errors.ApplicationError(`Unknown source type "${row.source?.type}"`);
        const problem = await source.validate(row.source);
        if (problem) throw new errors.ApplicationError(problem.message);
        const columns = await source.columns(row.source);
        built = await snapshots.build(row.id, columns, source.read(row.source, { pageSize: PAGE_SIZE }), {
          onPage: hooks.onPage,
          runId: hooks.runId,
        });
        const { table, rows } = built;
        const tables = await snapshots.tablesOf(row.id);
        await commit(async (trx) => {
          const current = await query().findOne({ where: { id: row.id }, select: ['id', 'snapshotTable'] });
          if (!current) throw new errors.NotFoundError('Semantic model not found'); // deleted while refreshing
          await query().update({
            where: { id: row.id },
            data: {
              snapshotTable: table,
              previousSnapshotTable: current.snapshotTable ?? null,
              columns,
              rowCount: rows,
              lastRefreshedAt: new Date(),
              status: 'ready',
              lastError: null,
            },
          });
          const { results: building } = await getService('runs').list({
            kind: 'refresh',
            targetId: documentId,
            status: 'running',
          });
          await snapshots.cleanUp(
            row.id,
            tables,
            {
              previous: current.snapshotTable ?? null,
              keep: [table, current.snapshotTable],
              building: new Set(building.map((run) => buildTag(run.id))),
            },
            trx
          );
        });
        return { rows };
      } catch (error) {
        // Nothing points at the new table: the swap never happened or was rolled back.
        await snapshots.drop(built?.table).catch(() => {});
        // The attempt that took over the run owns the model's status now.
        if (error instanceof LeaseLost) throw error;
        const data =
          error instanceof RefreshCancelled
            ? { status: row.snapshotTable ? 'ready' : 'empty' }
            : { status: 'failed', lastError: describeError(error) };
        // Only while still marked refreshing: a newer refresh (e.g. the retry of a run that lost its lease) wins.
        await query()
          .updateMany({ where: { id: row.id, status: 'refreshing' }, data })
          .catch(() => {});
        throw error;
      }
    },

    async preview(documentId: string, limit: number, reader?: SourceReader) {
      const { row, columns } = await servedSnapshot(documentId, reader);
      return { columns, rows: await getService('snapshots').select(row, parseQuery({ limit }, columns)).rows() };
    },

    /** The distinct values of a column, for single-select data inputs; they follow the latest refresh. */
    async distinctValues(
      documentId: string,
      column: string,
      options: { order?: 'asc' | 'desc'; limit?: number } = {},
      reader?: SourceReader
    ) {
      return distinctOf(await servedSnapshot(documentId, reader), column, options);
    },

    distinctOf,
  };
};

export type SemanticModelsService = ReturnType<typeof semanticModels>;
export default semanticModels;
