import { yup } from '@strapi/utils';
import type { InputValues } from '../reports/inputs';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../reports/validation';
import { fieldError, fieldErrors } from '../utils/errors';
import { validator } from '../utils/validation';

/** What a viewer asks of an embed's data or export: filters to narrow it, input values, and a page. */
export interface ViewerQuery {
  /** Raw viewer filters, parsed against each card's columns by the one filter parser. */
  filters: unknown[];
  inputs: InputValues;
  page: number;
  pageSize: number;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const inputs = yup.mixed().test('inputs', '', function check(value: unknown) {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) {
    return this.createError({ path: 'inputs', message: 'inputs must be an object of {<name>: value or [values]}' });
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && !isStrings(item)) {
      return this.createError({
        path: `inputs.${key}`,
        message: `inputs.${key} must be a string or an array of strings`,
      });
    }
  }
  return true;
});

const positive = (name: string, max = Number.MAX_SAFE_INTEGER) =>
  yup
    .number()
    .strict(true)
    .typeError(`${name} must be a positive integer`)
    .integer(`${name} must be a positive integer`)
    .min(1, `${name} must be a positive integer`)
    .max(max, `${name} must be at most ${max}`);

const validateBody = validator(
  yup
    .object({
      filters: yup.array().typeError('filters must be an array of {column, operator, values}').nullable(),
      inputs,
      page: positive('page'),
      pageSize: positive('pageSize', MAX_PAGE_SIZE),
    })
    .typeError('The body must be a JSON object')
);

const BODY_KEYS = ['filters', 'inputs', 'page', 'pageSize'];

/** `{filters?, inputs?, page?, pageSize?}` of a data or export request (no body: the first page, no filters). */
export const validateViewerBody = async (raw: unknown): Promise<ViewerQuery> => {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const unknown = Object.keys(raw).filter((key) => !BODY_KEYS.includes(key));
    if (unknown.length > 0) {
      throw fieldErrors(unknown.map((key) => ({ path: [key], message: `Unknown field: ${key}` })));
    }
  }
  const body = (await validateBody(raw ?? {})) as Record<string, any>;
  return {
    filters: body.filters ?? [],
    inputs: (body.inputs ?? {}) as InputValues,
    page: body.page ?? 1,
    pageSize: body.pageSize ?? DEFAULT_PAGE_SIZE,
  };
};

const FORM_FIELDS = ['embedToken', 'filters', 'inputs'];

/** A JSON-valued form field, or a 400 naming it. */
const jsonField = (form: Record<string, unknown>, name: string) => {
  const value = form[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw fieldError(name, `${name} must be given once, as JSON`);
  try {
    return JSON.parse(value);
  } catch {
    throw fieldError(name, `${name} must be JSON`);
  }
};

/**
 * The export's form POST (`embedToken`, and `filters` and `inputs` as JSON text), so a browser can download the
 * file; a JSON body is read as the data route's.
 */
export const validateExportRequest = async (raw: unknown, form: boolean) => {
  if (!form) return { token: undefined, query: await validateViewerBody(raw) };
  const fields = (raw ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !FORM_FIELDS.includes(key));
  if (unknown.length > 0) throw fieldError(unknown[0], `Unknown field(s): ${unknown.join(', ')}`);
  const token = typeof fields.embedToken === 'string' ? fields.embedToken : undefined;
  const query = await validateViewerBody({
    filters: jsonField(fields, 'filters'),
    inputs: jsonField(fields, 'inputs'),
  });
  return { token, query };
};

/** The `embedToken` form field of the viewer's POST. */
export const formToken = (raw: unknown): string | undefined => {
  const value = (raw as Record<string, unknown> | undefined)?.embedToken;
  return typeof value === 'string' && value !== '' ? value : undefined;
};
