import { errors } from '@strapi/utils';

/** A 400 listing every problem, each naming its field (`path: ['filters', '1', 'values', '0']`), as yup's do. */
export const fieldErrors = (problems: { path: string[]; message: string }[]) =>
  new errors.ValidationError([...new Set(problems.map((problem) => problem.message))].join('; '), {
    errors: problems.map(({ path, message }) => ({ path, message, name: 'ValidationError' })),
  });

/**
 * A 400 that names the offending field, in the same `details.errors[]` shape as Strapi's yup errors: `items[2].report`
 * has the path `['items', '2', 'report']`, as yup's own errors do.
 */
export const fieldError = (path: string, message: string) =>
  fieldErrors([{ path: path.split(/[.[\]]+/).filter(Boolean), message }]);

/** True for a unique-constraint violation on SQLite, PostgreSQL or MySQL. */
export const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; message?: string } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'ER_DUP_ENTRY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(e?.message ?? '')
  );
};

const MAX_ERROR_LENGTH = 500;

/**
 * A failure as users may read it on a run or a model: short, and without the SQL (and so the data) that knex puts
 * in front of a database error's own message.
 */
export const describeError = (error: unknown): string => {
  let message = error instanceof Error ? error.message : String(error);
  const sql = (error as { sql?: string } | null)?.sql;
  if (sql && message.startsWith(sql)) message = message.slice(sql.length).replace(/^ - /, '');
  return message.slice(0, MAX_ERROR_LENGTH) || 'Failed';
};

/**
 * A 409 in Strapi's error body: `{data: null, error: {status: 409, name: 'ConflictError', message, details}}`.
 * Strapi maps every ApplicationError it does not know to 400, but formats an HttpError with its own status, so this
 * error joins http-errors' HttpError chain (whose constructor is abstract) instead.
 */
export class ConflictError extends Error {
  readonly status = 409;
  readonly statusCode = 409;
  readonly expose = true;

  constructor(
    message: string,
    readonly details: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
Object.setPrototypeOf(ConflictError.prototype, errors.HttpError.prototype);
