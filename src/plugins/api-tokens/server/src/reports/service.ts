import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { parseQuery, referencedColumns } from '../query/parse';
import type { Filter, ParsedQuery } from '../query/types';
import type { Column, SourceReader } from '../semantic-models/sources';
import { ERROR_CODES } from '../shared/error-codes';
import type { Report, ReportBody, ReportInput, ReportInputOptions, ReportResult } from '../shared/types';
import { serializeEmbed, writeWithEmbed } from '../utils/embed';
import { ConflictError, fieldError } from '../utils/errors';
import { refuseIfDelivered } from '../subscriptions/refuse-if-delivered';
import { getService } from '../utils/get-service';
import { uniqueNames } from '../utils/unique-name';
import { inputFilters, inputOptions, type InputValues, type ServedModel } from './inputs';
import { checkReport, DEFAULT_PAGE_SIZE, type CheckedReport } from './validation';

export const REPORT_UID = 'plugin::api-tokens.report';

type Row = Record<string, any>;

const serialize = (row: Row): Report => ({
  id: row.id,
  documentId: row.documentId,
  name: row.name,
  semanticModel: row.semanticModel,
  query: row.query,
  chart: row.chart,
  inputs: row.inputs ?? [],
  timezone: row.timezone ?? null,
  embed: serializeEmbed(row),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** A report ready to run: its model's served snapshot and its query parsed against the snapshot's columns. */
export interface PreparedReport {
  inputs: ReportInput[];
  model: ServedModel;
  parsed: ParsedQuery;
}

export interface Page {
  page: number;
  pageSize: number;
}

const QUERY_PARTS = ['semanticModel', 'query', 'chart', 'inputs', 'timezone'] as const;

const reports = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(REPORT_UID);
  const names = uniqueNames(strapi, REPORT_UID, 'A report');
  const models = () => getService('semantic-models');

  const findRow = async (documentId: string): Promise<Row> => {
    const row = await query().findOne({ where: { documentId } });
    if (!row) throw new errors.NotFoundError('Report not found');
    return row;
  };

  /** The model a body names, or a 400 naming `semanticModel`; a 403 when the admin may not read its source. */
  const readableModel = async (documentId: string, reader?: SourceReader): Promise<Row> => {
    let model: Row;
    try {
      model = await models().findRow(documentId);
    } catch (error) {
      if (!(error instanceof errors.NotFoundError)) throw error;
      throw fieldError('semanticModel', `semanticModel "${documentId}" is not the documentId of a semantic model`);
    }
    await models().authorize(model.source, reader);
    return model;
  };

  /** The columns a report may use: the served snapshot's, or, before the first refresh, the source's. */
  const columnsOf = async (model: Row): Promise<Column[]> => {
    if (model.snapshotTable) return model.columns ?? [];
    const source = getService('sources').get(model.source?.type);
    if (!source) throw new errors.ApplicationError(`Unknown source type "${model.source?.type}"`);
    return source.columns(model.source);
  };

  /** The body checked against its model's columns: its query parsed. */
  const checked = async (model: Row, body: CheckedReport) => {
    const columns = await columnsOf(model);
    return { columns, parsed: checkReport(body, columns) };
  };

  /**
   * A saved report ready to run, or the error that stops it: 403 when the admin may not read the source, 409
   * MODEL_NOT_READY before the model's first refresh, 400 REPORT_COLUMN_MISSING when the model lost a column it uses.
   */
  const prepare = async (row: Row, reader?: SourceReader): Promise<PreparedReport> => {
    const { row: model, columns } = await models().servedSnapshot(row.semanticModel, reader);
    const inputs: ReportInput[] = row.inputs ?? [];
    const known = new Set(columns.map((column) => column.name));
    const used = [...referencedColumns(row.query), ...inputs.map((input) => input.column)];
    const missing = used.find((column) => !known.has(column));
    if (missing !== undefined) {
      throw new errors.ValidationError(
        `The report "${row.name}" uses the column "${missing}", which its semantic model no longer has: edit the report`,
        {
          code: ERROR_CODES.REPORT_COLUMN_MISSING,
          report: { documentId: row.documentId, name: row.name },
          column: missing,
        }
      );
    }
    const parsed = parseQuery(row.query, columns, { timezone: row.timezone });
    return { inputs, model: { row: model, columns }, parsed };
  };

  /**
   * The report's result with the inputs' values (or defaults) applied: its columns, a row count and pages. `scope`
   * narrows the values the inputs accept (an embed token's filters, which the caller also applies).
   */
  const select = async (report: PreparedReport, values: InputValues, scope: Filter[] = []) => {
    const filters = await inputFilters(report.inputs, values, report.model, scope);
    return getService('snapshots').select(report.model.row, {
      ...report.parsed,
      filters: [...report.parsed.filters, ...filters],
    });
  };

  /** The page `page` of the report's result. */
  const pageOf = async (report: PreparedReport, values: InputValues, { page, pageSize }: Page) => {
    const selection = await select(report, values);
    const total = await selection.count();
    const rows = await selection.rows({ offset: (page - 1) * pageSize, limit: pageSize });
    return {
      result: { columns: selection.columns, rows } satisfies ReportResult,
      pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
    };
  };

  return {
    serialize,
    findRow,
    prepare,
    /** A prepared report's result with these input values: its columns, count() and pages (subscriptions stream it). */
    selection: select,

    async list() {
      return (await query().findMany({ orderBy: [{ name: 'asc' }] })).map(serialize);
    },

    async findOne(documentId: string) {
      return serialize(await findRow(documentId));
    },

    async create(input: ReportBody, reader?: SourceReader) {
      await checked(await readableModel(input.semanticModel, reader), input);
      const { embed, ...data } = input;
      const row = await writeWithEmbed(embed, null, (columns) =>
        names.create({ ...data, inputs: data.inputs ?? [], timezone: data.timezone ?? null, ...columns })
      );
      return serialize(row);
    },

    /** A partial update; the query, chart and inputs are checked again (as merged) when any part of them changes. */
    async update(documentId: string, input: Partial<ReportBody>, reader?: SourceReader) {
      const row = await findRow(documentId);
      const merged = {
        semanticModel: input.semanticModel ?? row.semanticModel,
        query: input.query ?? row.query,
        chart: input.chart ?? row.chart,
        inputs: input.inputs ?? row.inputs ?? [],
        timezone: input.timezone === undefined ? row.timezone : input.timezone,
      };
      const model = await readableModel(merged.semanticModel, reader);
      if (QUERY_PARTS.some((part) => input[part] !== undefined)) await checked(model, merged);
      const { embed, ...data } = input;
      const updated = await writeWithEmbed(embed, row, (columns) => names.update(row, { ...data, ...columns }));
      getService('embeds').forgetLookups();
      return serialize(updated);
    },

    /** 409 REPORT_IN_USE while dashboards show it or subscriptions deliver it. */
    async delete(documentId: string) {
      const row = await findRow(documentId);
      await refuseIfDelivered(
        { type: 'report', id: documentId },
        `The report "${row.name}"`,
        ERROR_CODES.REPORT_IN_USE
      );
      const dashboards = await getService('dashboards').showing(documentId);
      if (dashboards.length > 0) {
        throw new ConflictError(
          `The report "${row.name}" is shown on ${dashboards.map((d) => `"${d.name}"`).join(', ')}: remove it there first`,
          { code: ERROR_CODES.REPORT_IN_USE, dashboards }
        );
      }
      await query().delete({ where: { id: row.id } });
      getService('embeds').forgetLookups();
      return serialize(row);
    },

    /** The reports over a model (`[{documentId, name}]`), for a model's delete. */
    async usingModel(modelDocumentId: string): Promise<{ documentId: string; name: string }[]> {
      return query().findMany({
        where: { semanticModel: modelDocumentId },
        select: ['documentId', 'name'],
        orderBy: [{ name: 'asc' }],
      });
    },

    async data(documentId: string, values: InputValues, page: Page, reader?: SourceReader) {
      return pageOf(await prepare(await findRow(documentId), reader), values, page);
    },

    async inputs(documentId: string, reader?: SourceReader): Promise<ReportInputOptions[]> {
      const report = await prepare(await findRow(documentId), reader);
      return inputOptions(report.inputs, report.model);
    },

    /** A saved report's first page, with these input values (or the defaults): a dashboard's item. */
    async firstPage(report: PreparedReport, values: InputValues): Promise<ReportResult> {
      const selection = await select(report, values);
      return { columns: selection.columns, rows: await selection.rows({ offset: 0, limit: DEFAULT_PAGE_SIZE }) };
    },

    /** An unsaved body's first `pageSize` rows with its inputs' defaults, and its inputs with their options. */
    async preview(body: Omit<ReportBody, 'name'>, pageSize: number, reader?: SourceReader) {
      const model = await readableModel(body.semanticModel, reader);
      const { columns, parsed } = await checked(model, body);
      const inputs = body.inputs ?? [];
      // Before the model's first refresh, the query layer answers 409 MODEL_NOT_READY.
      const report: PreparedReport = { inputs, model: { row: model, columns }, parsed };
      const { result } = await pageOf(report, {}, { page: 1, pageSize });
      return { ...result, inputs: await inputOptions(inputs, report.model) };
    },
  };
};

export type ReportsService = ReturnType<typeof reports>;
export default reports;
