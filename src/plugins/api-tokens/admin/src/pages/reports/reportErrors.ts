import type { ReportDraft, RowIndexes, RowList } from './reportDraft';

/** Error messages by form field key (see `fieldKeyOf`). */
export type ReportErrors = Record<string, string>;

const QUERY_KEYS = new Set(['columns', 'filters', 'groupBy', 'aggregates', 'sort', 'limit', 'offset']);
const ROW_LISTS: RowList[] = ['query.groupBy', 'query.aggregates', 'query.filters', 'query.sort', 'inputs'];

/** The fields each row of a list shows. */
const ROW_FIELDS: Record<RowList, string[]> = {
  'query.groupBy': ['field', 'bucket', 'as'],
  'query.aggregates': ['fn', 'field', 'as'],
  'query.filters': ['column', 'operator', 'values'],
  'query.sort': ['field', 'dir'],
  inputs: ['name', 'column', 'type', 'default', 'required'],
};

/**
 * The form field a server error path belongs to: `query.filters.1.values.0` → `query.filters.1.values`,
 * `filters[1].operand` → `query.filters.1.operator`, `chart.y.0` → `chart.y`, `query.columns.2` → `query.columns`.
 */
export const fieldKeyOf = (path: string): string => {
  let segments = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((segment) => (segment === 'operand' ? 'operator' : segment));
  // The query layer names its paths from the query down.
  if (QUERY_KEYS.has(segments[0])) segments = ['query', ...segments];
  const key: string[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index];
    if (/^\d+$/.test(segment)) {
      if ((ROW_LISTS as string[]).includes(key.join('.'))) {
        key.push(segment);
        if (segments[index + 1]) key.push(segments[index + 1]);
      }
      break;
    }
    key.push(segment);
  }
  return key.join('.');
};

/** A previewed row's key in terms of the draft's rows (the preview leaves rows not started out). */
const draftKeyOf = (key: string, indexes: RowIndexes) => {
  const list = ROW_LISTS.find((candidate) => key.startsWith(`${candidate}.`));
  if (!list) return key;
  const [index, ...rest] = key.slice(list.length + 1).split('.');
  const original = indexes[list][Number(index)];
  return original === undefined ? key : [list, original, ...rest].join('.');
};

/**
 * A failed save's or preview's messages by path (`fieldErrorsByPath`) as messages by field key, the first one of each
 * field kept; `indexes` maps a preview's rows back to the draft's.
 */
export const errorsByField = (byPath: Record<string, string>, indexes?: RowIndexes): ReportErrors => {
  const out: ReportErrors = {};
  for (const [path, message] of Object.entries(byPath)) {
    const key = indexes ? draftKeyOf(fieldKeyOf(path), indexes) : fieldKeyOf(path);
    if (!(key in out)) out[key] = message;
  }
  return out;
};

/** The field keys the editor shows errors under, for this draft. */
const shownKeysOf = (draft: ReportDraft) => {
  const keys = new Set([
    'name',
    'semanticModel',
    'timezone',
    'query',
    'query.columns',
    'query.limit',
    'chart',
    'chart.type',
    'chart.x',
    'chart.y',
    'embed',
    'embed.enabled',
    'embed.allowedOrigins',
    ...ROW_LISTS,
  ]);
  const rows: Record<RowList, unknown[]> = {
    'query.groupBy': draft.groupBy,
    'query.aggregates': draft.aggregates,
    'query.filters': draft.filters,
    'query.sort': draft.sort,
    inputs: draft.inputs,
  };
  for (const list of ROW_LISTS) {
    rows[list].forEach((_row, index) => {
      keys.add(`${list}.${index}`);
      for (const field of ROW_FIELDS[list]) keys.add(`${list}.${index}.${field}`);
    });
  }
  return keys;
};

/** The errors no field of the editor shows (e.g. an unknown key), to list above the form. */
export const otherErrorsOf = (errors: ReportErrors, draft: ReportDraft): [string, string][] => {
  const shown = shownKeysOf(draft);
  return Object.entries(errors).filter(([key]) => !shown.has(key));
};
