import { yup } from '@strapi/utils';
import { validator } from '../utils/validation';
import type { AuditFilters } from './service';

const MAX_PAGE_SIZE = 100;
const MAX_FILTER_LENGTH = 255;

const filter = (name: string) =>
  yup
    .string()
    .typeError(`${name} must be a string`)
    .max(MAX_FILTER_LENGTH, `${name} must be at most ${MAX_FILTER_LENGTH} characters`);

// Query values arrive as text; a strict string check also refuses repeated (array) and bracketed (object) parameters.
const positiveInteger = (name: string) =>
  yup
    .string()
    .typeError(`${name} must be a positive integer`)
    .matches(/^[1-9]\d{0,5}$/, `${name} must be a positive integer`);

const listAuditEventsQuery = yup
  .object({
    action: filter('action'),
    subjectType: filter('subjectType'),
    subjectId: filter('subjectId'),
    actor: filter('actor'),
    page: positiveInteger('page'),
    pageSize: positiveInteger('pageSize').test(
      'max',
      `pageSize must be at most ${MAX_PAGE_SIZE}`,
      (value) => value === undefined || Number(value) <= MAX_PAGE_SIZE
    ),
  })
  .noUnknown(true, 'Unknown query parameter(s): ${unknown}');

const validateListQuery = validator(listAuditEventsQuery);

export interface ListAuditEventsQuery {
  filters: AuditFilters;
  pagination: { page: number; pageSize: number };
}

/** `GET /api-tokens/audit-events?action=&subjectType=&subjectId=&actor=&page=&pageSize=`, or a 400 naming the parameter. */
export const parseListAuditEventsQuery = async (query: unknown): Promise<ListAuditEventsQuery> => {
  const { page, pageSize, ...filters } = await validateListQuery(query ?? {});
  return {
    filters,
    pagination: { page: page ? Number(page) : 1, pageSize: pageSize ? Number(pageSize) : 25 },
  };
};
