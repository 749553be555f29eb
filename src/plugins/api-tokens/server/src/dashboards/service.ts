import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { inputOptions, type InputValues } from '../reports/inputs';
import { REPORT_UID, type PreparedReport } from '../reports/service';
import type { SourceReader } from '../semantic-models/sources';
import { mergeInputs } from '../shared/merge-inputs';
import type {
  ChartSpec,
  Dashboard,
  DashboardBody,
  DashboardItem,
  DashboardItemResult,
  QuerySpec,
  ReportInputOptions,
} from '../shared/types';
import { serializeEmbed, writeWithEmbed } from '../utils/embed';
import { ERROR_CODES } from '../shared/error-codes';
import { fieldError } from '../utils/errors';
import { refuseIfDelivered } from '../subscriptions/refuse-if-delivered';
import { getService } from '../utils/get-service';
import { uniqueNames } from '../utils/unique-name';

export const DASHBOARD_UID = 'plugin::api-tokens.dashboard';

type Row = Record<string, any>;

const serialize = (row: Row): Dashboard => ({
  id: row.id,
  documentId: row.documentId,
  name: row.name,
  items: row.items ?? [],
  embed: serializeEmbed(row),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const dashboards = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(DASHBOARD_UID);
  const names = uniqueNames(strapi, DASHBOARD_UID, 'A dashboard');
  const reports = () => getService('reports');

  const findRow = async (documentId: string): Promise<Row> => {
    const row = await query().findOne({ where: { documentId } });
    if (!row) throw new errors.NotFoundError('Dashboard not found');
    return row;
  };

  /** Each item names a saved report, else a 400 naming `items[i].report`. */
  const checkItems = async (items: DashboardItem[] | undefined) => {
    if (!items?.length) return;
    const found = await strapi.db.query(REPORT_UID).findMany({
      where: { documentId: { $in: items.map((item) => item.report) } },
      select: ['documentId'],
    });
    const known = new Set(found.map((row: Row) => row.documentId));
    const index = items.findIndex((item) => !known.has(item.report));
    if (index >= 0) {
      throw fieldError(`items[${index}].report`, `items[${index}].report "${items[index].report}" is not a report`);
    }
  };

  /** The dashboard's distinct reports, ready to run (each 403, 409 or 400 as a report's own data would be). */
  const prepareReports = async (row: Row, reader?: SourceReader) => {
    const prepared = new Map<string, PreparedReport & { name: string; chart: ChartSpec; query: QuerySpec }>();
    for (const { report } of (row.items ?? []) as DashboardItem[]) {
      if (prepared.has(report)) continue;
      const reportRow = await reports().findRow(report);
      prepared.set(report, {
        ...(await reports().prepare(reportRow, reader)),
        name: reportRow.name,
        chart: reportRow.chart,
        query: reportRow.query,
      });
    }
    return prepared;
  };

  return {
    findRow,
    prepareReports,

    async list() {
      return (await query().findMany({ orderBy: [{ name: 'asc' }] })).map(serialize);
    },

    async findOne(documentId: string) {
      return serialize(await findRow(documentId));
    },

    async create(input: DashboardBody) {
      await checkItems(input.items);
      const { embed, ...data } = input;
      return serialize(await writeWithEmbed(embed, null, (columns) => names.create({ ...data, ...columns })));
    },

    async update(documentId: string, input: Partial<DashboardBody>) {
      const row = await findRow(documentId);
      await checkItems(input.items);
      const { embed, ...data } = input;
      const updated = await writeWithEmbed(embed, row, (columns) => names.update(row, { ...data, ...columns }));
      getService('embeds').forgetLookups();
      return serialize(updated);
    },

    /** 409 DASHBOARD_IN_USE while subscriptions deliver it. */
    async delete(documentId: string) {
      const row = await findRow(documentId);
      const label = `The dashboard "${row.name}"`;
      await refuseIfDelivered({ type: 'dashboard', id: documentId }, label, ERROR_CODES.DASHBOARD_IN_USE);
      await query().delete({ where: { id: row.id } });
      getService('embeds').forgetLookups();
      return serialize(row);
    },

    /** The dashboards with an item showing the report (`[{documentId, name}]`), for a report's delete. */
    async showing(reportDocumentId: string): Promise<{ documentId: string; name: string }[]> {
      const rows = await query().findMany({ select: ['documentId', 'name', 'items'], orderBy: [{ name: 'asc' }] });
      return rows
        .filter((row: Row) => ((row.items ?? []) as DashboardItem[]).some((item) => item.report === reportDocumentId))
        .map(({ documentId, name }: Row) => ({ documentId, name }));
    },

    /**
     * Each item's first page, in item order. A shared input applies to every report with an input of its name (and
     * is a 400 naming `inputs.<name>` when none has one); each report takes its own defaults otherwise.
     */
    async data(documentId: string, values: InputValues, reader?: SourceReader): Promise<DashboardItemResult[]> {
      const row = await findRow(documentId);
      const prepared = await prepareReports(row, reader);
      const known = new Set([...prepared.values()].flatMap((report) => report.inputs.map((input) => input.name)));
      const unknown = Object.keys(values).find((name) => !known.has(name));
      if (unknown !== undefined) {
        throw fieldError(
          `inputs.${unknown}`,
          `inputs.${unknown}: no report of this dashboard has an input of that name`
        );
      }
      const results: DashboardItemResult[] = [];
      for (const { report } of row.items as DashboardItem[]) {
        const target = prepared.get(report)!;
        const own = Object.fromEntries(
          Object.entries(values).filter(([name]) => target.inputs.some((input) => input.name === name))
        );
        results.push({ report, name: target.name, chart: target.chart, ...(await reports().firstPage(target, own)) });
      }
      return results;
    },

    /** The inputs of the dashboard's reports, merged by name. */
    async inputs(documentId: string, reader?: SourceReader): Promise<ReportInputOptions[]> {
      const prepared = await prepareReports(await findRow(documentId), reader);
      const lists: ReportInputOptions[][] = [];
      for (const report of prepared.values()) lists.push(await inputOptions(report.inputs, report.model));
      return mergeInputs(lists);
    },
  };
};

export type DashboardsService = ReturnType<typeof dashboards>;
export default dashboards;
