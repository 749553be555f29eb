/**
 * An embed's rows as the viewer asks for them: the card's own query, ANDed with the token's filters (fail closed when
 * they no longer parse), the viewer's filters (FILTER only) and the input values, over the served snapshot.
 */
import { errors } from '@strapi/utils';
import type { Readable } from 'node:stream';
import { parseFilters } from '../query/filters';
import type { Filter } from '../query/types';
import { inputOptions, type InputValues } from '../reports/inputs';
import type { PreparedReport } from '../reports/service';
import { ERROR_CODES } from '../shared/error-codes';
import { mergeInputs } from '../shared/merge-inputs';
import type { ChartSpec, DashboardItem, ReportInputOptions } from '../shared/types';
import { csvStream } from '../subscriptions/render/csv';
import { uniqueFileNames } from '../subscriptions/render/file-names';
import { ConflictError, describeError, fieldError } from '../utils/errors';
import { getService } from '../utils/get-service';
import type { EmbedGrant, EmbedPermission, VerifiedEmbed } from './types';
import type { ViewerQuery } from './viewer-validation';

/** How often one token's use is audited, at most (seconds). */
const USE_SAMPLE_SECONDS = 60;

/** A card of the embed, ready to run: a story's in item order. */
export interface EmbedCard extends PreparedReport {
  name: string;
  chart: ChartSpec;
  /** Grid columns out of 12. */
  width: number;
}

const cardsOf = async ({ target }: VerifiedEmbed): Promise<EmbedCard[]> => {
  const row = await getService('embeds').findTargetRow(target.type, target.embedId);
  if (!row) throw new errors.NotFoundError(`No embedded ${target.type} "${target.embedId}"`);
  if (target.type === 'card') {
    return [{ ...(await getService('reports').prepare(row)), name: row.name, chart: row.chart, width: 12 }];
  }
  const prepared = await getService('dashboards').prepareReports(row);
  return ((row.items ?? []) as DashboardItem[]).map((item) => ({ ...prepared.get(item.report)!, width: item.width }));
};

/** 403 unless the token grants `permission` for this embed. */
export const requirePermission = ({ grant, target }: VerifiedEmbed, permission: EmbedPermission) => {
  if (!grant.permissions.includes(permission)) {
    throw new errors.ForbiddenError(`This embed token does not grant ${permission} on the ${target.type}`);
  }
};

/** The token's filters against the card's current columns; a 409 when they no longer parse, never a dropped filter. */
const tokenFilters = (grant: EmbedGrant, card: EmbedCard): Filter[] => {
  try {
    return parseFilters(grant.filters, card.model.columns, 'token.filters');
  } catch (error) {
    throw new ConflictError(
      `The embed token's filters no longer apply to "${card.name}" (${describeError(error)}): mint a new token`,
      { code: ERROR_CODES.EMBED_FILTERS_STALE }
    );
  }
};

/** The input values a card has inputs for; a 400 naming `inputs.<name>` for a name no card of the embed has. */
const valuesFor = (cards: EmbedCard[], values: InputValues) => {
  const known = new Set(cards.flatMap((card) => card.inputs.map((input) => input.name)));
  const unknown = Object.keys(values).find((name) => !known.has(name));
  if (unknown !== undefined) {
    throw fieldError(`inputs.${unknown}`, `inputs.${unknown}: there is no input named "${unknown}"`);
  }
  return (card: EmbedCard): InputValues =>
    Object.fromEntries(Object.entries(values).filter(([name]) => card.inputs.some((input) => input.name === name)));
};

/** Each card's selection, every filter ANDed: its query's, the token's, the viewer's, the inputs'. */
const selections = async (verified: VerifiedEmbed, query: ViewerQuery) => {
  if (query.filters.length > 0) requirePermission(verified, 'FILTER');
  const cards = await cardsOf(verified);
  const own = valuesFor(cards, query.inputs);
  return Promise.all(
    cards.map(async (card) => {
      const filters = [
        ...card.parsed.filters,
        ...tokenFilters(verified.grant, card),
        ...parseFilters(query.filters, card.model.columns, 'filters'),
      ];
      const selection = await getService('reports').selection(
        { ...card, parsed: { ...card.parsed, filters } },
        own(card)
      );
      return { card, selection };
    })
  );
};

/** Records, at most once a minute per token, that it was used: its jti and the embed, never the JWT. */
export const auditUse = ({ claims, target }: VerifiedEmbed, action: string, ip: string | null) => {
  getService('audit').recordSampled(
    `embed-token.used:${claims.jti}`,
    {
      action: 'embed-token.used',
      subjectType: target.type,
      subjectId: target.documentId,
      actor: claims.sub.startsWith('admin:') ? claims.sub : `token:${claims.sub}`,
      ip,
      details: { jti: claims.jti, embedId: target.embedId, action },
    },
    USE_SAMPLE_SECONDS
  );
};

/** A card's page (`{data: {columns, rows}, meta: {pagination}}`), or a story's cards' pages, in item order. */
export const embedData = async (verified: VerifiedEmbed, query: ViewerQuery) => {
  const { page, pageSize } = query;
  const pages = await Promise.all(
    (await selections(verified, query)).map(async ({ card, selection }) => {
      const total = await selection.count();
      const rows = await selection.rows({ offset: (page - 1) * pageSize, limit: pageSize });
      return {
        card,
        result: { columns: selection.columns, rows },
        pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
      };
    })
  );
  if (verified.target.type === 'card') {
    const [{ result, pagination }] = pages;
    return { data: result, meta: { pagination } };
  }
  return {
    data: pages.map(({ card, result, pagination }) => ({
      name: card.name,
      chart: card.chart,
      width: card.width,
      ...result,
      pagination,
    })),
    meta: {},
  };
};

/** A card's whole result as CSV (the subscriptions' writer), streamed page by page. */
export const embedCsv = async (
  verified: VerifiedEmbed,
  query: ViewerQuery
): Promise<{ filename: string; stream: Readable }> => {
  requirePermission(verified, 'EXPORT');
  const [{ card, selection }] = await selections(verified, query);
  const [filename] = uniqueFileNames([card.name], 'csv');
  const stream = csvStream(
    { title: card.name, columns: selection.columns, rows: () => selection.stream(), chart: null, summary: [] },
    () => undefined
  );
  return { filename, stream };
};

/** What the viewer page shows before any data: the cards' names and charts, the inputs, what the token allows. */
export const embedSetup = async (verified: VerifiedEmbed) => {
  const cards = await cardsOf(verified);
  const lists: ReportInputOptions[][] = [];
  // Options among the rows the token shows: a value outside them is not offered.
  for (const card of cards) lists.push(await inputOptions(card.inputs, card.model, tokenFilters(verified.grant, card)));
  const { target, grant } = verified;
  return {
    type: target.type,
    embedId: target.embedId,
    name: target.name,
    permissions: grant.permissions,
    allowedOrigins: target.allowedOrigins,
    cards: cards.map((card) => ({
      name: card.name,
      chart: card.chart,
      width: card.width,
      // The model's columns a viewer filter may name.
      columns: card.model.columns.map(({ name, type }) => ({ name, type })),
    })),
    inputs: mergeInputs(lists),
  };
};

export type EmbedSetup = Awaited<ReturnType<typeof embedSetup>>;
