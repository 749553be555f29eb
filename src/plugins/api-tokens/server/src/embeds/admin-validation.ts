import { yup } from '@strapi/utils';
import { bodySchema, paginationFields, paginationOf, UNKNOWN_KEYS, validator } from '../utils/validation';
import { EMBED_TYPES, type EmbedType } from './types';

const MAX_EMBED_ID_LENGTH = 64;

const typeField = yup
  .mixed<EmbedType>()
  .oneOf([...EMBED_TYPES], `type must be one of: ${EMBED_TYPES.join(', ')}`)
  .required('type is required');

const embedIdField = yup
  .string()
  .typeError('embedId must be a string')
  .max(MAX_EMBED_ID_LENGTH, `embedId must be at most ${MAX_EMBED_ID_LENGTH} characters`)
  .required('embedId is required');

/**
 * `POST /embed-playground`. Permissions, filters and the session length are checked by the embed service's own
 * issue-time validation, whose paths the playground maps back to these field names.
 */
const playgroundBody = bodySchema({
  type: typeField,
  embedId: embedIdField,
  permissions: yup.mixed(),
  filters: yup.mixed(),
  sessionLength: yup.mixed(),
});

export interface PlaygroundInput {
  type: EmbedType;
  embedId: string;
  permissions?: unknown;
  filters?: unknown;
  sessionLength?: unknown;
}

export const validatePlayground = validator(playgroundBody) as (body: unknown) => Promise<PlaygroundInput>;

const targetParams = yup.object({ type: typeField, embedId: embedIdField });

export const validatePlaygroundTarget = validator(targetParams) as (
  params: unknown
) => Promise<{ type: EmbedType; embedId: string }>;

const activityQuery = yup.object({ ...paginationFields }).noUnknown(true, UNKNOWN_KEYS);
const validateActivity = validator(activityQuery);

/** `GET /embed-activity?page=&pageSize=`, or a 400 naming the parameter. */
export const parseActivityQuery = async (query: unknown) => paginationOf(await validateActivity(query ?? {}));
