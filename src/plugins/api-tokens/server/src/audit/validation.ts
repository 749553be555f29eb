import { yup } from '@strapi/utils';
import { paginationFields, paginationOf, validator } from '../utils/validation';
import type { AuditFilters } from './service';

const MAX_FILTER_LENGTH = 255;

const filter = (name: string) =>
  yup
    .string()
    .typeError(`${name} must be a string`)
    .max(MAX_FILTER_LENGTH, `${name} must be at most ${MAX_FILTER_LENGTH} characters`);

const listAuditEventsQuery = yup
  .object({
    action: filter('action'),
    subjectType: filter('subjectType'),
    subjectId: filter('subjectId'),
    actor: filter('actor'),
    ...paginationFields,
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
    pagination: paginationOf({ page, pageSize }),
  };
};
