import { errors, validateYupSchema, yup } from '@strapi/utils';
import { NAME_MAX_LENGTH } from '../shared/limits';

/**
 * Strapi's yup validation (400 with `details.errors[]`), with a message that names every problem
 * instead of "2 errors occurred".
 */
export const validator = <Schema extends yup.AnySchema>(schema: Schema, options: { strict?: boolean } = {}) => {
  const validate = validateYupSchema(schema, options);
  return async (body: unknown): Promise<yup.InferType<Schema>> => {
    try {
      return await validate(body);
    } catch (error) {
      const details = (error as errors.ValidationError).details as { errors?: { message: string }[] } | undefined;
      const problems = details?.errors;
      if (error instanceof errors.ValidationError && problems && problems.length > 1) {
        error.message = [...new Set(problems.map((problem) => problem.message))].join('; ');
      }
      throw error;
    }
  };
};

/** The same for query strings, whose values arrive as text and are cast to the schema's types. */
export const queryValidator = <Schema extends yup.AnySchema>(schema: Schema) => validator(schema, { strict: false });

export const UNKNOWN_KEYS = 'Unknown field(s): ${unknown}';

/** The display name of a token, model, report…: at most 100 characters, not blank. */
export const nameSchema = yup
  .string()
  .typeError('name must be a string')
  .max(NAME_MAX_LENGTH, `name must be at most ${NAME_MAX_LENGTH} characters`)
  .matches(/\S/, 'name must not be blank');

/** A JSON request body: an object with exactly these fields. */
export const bodySchema = (shape: Record<string, yup.AnySchema>) =>
  yup
    .object()
    .shape(shape)
    .typeError('The body must be a JSON object')
    .required('The body must be a JSON object')
    .noUnknown(true, UNKNOWN_KEYS);

// Query values arrive as text; a strict string check also refuses repeated (array) and bracketed (object) parameters.
const positiveInteger = (name: string) =>
  yup
    .string()
    .typeError(`${name} must be a positive integer`)
    .matches(/^[1-9]\d{0,5}$/, `${name} must be a positive integer`);

/** `page` and `pageSize` (at most `maxPageSize`) of a query string. */
export const pageFields = (maxPageSize: number) => ({
  page: positiveInteger('page'),
  pageSize: positiveInteger('pageSize').test(
    'max',
    `pageSize must be at most ${maxPageSize}`,
    (value) => value === undefined || Number(value) <= maxPageSize
  ),
});

/** `page` and `pageSize` (at most 100) of an admin list's query string. */
export const paginationFields = pageFields(100);

/** The validated `page` and `pageSize`, defaulting to the first page of `defaultPageSize` (25). */
export const paginationOf = ({ page, pageSize }: { page?: string; pageSize?: string }, defaultPageSize = 25) => ({
  page: page ? Number(page) : 1,
  pageSize: pageSize ? Number(pageSize) : defaultPageSize,
});
