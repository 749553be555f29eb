import { errors } from '@strapi/utils';

/** A 400 that names the offending field, in the same `details.errors[]` shape as Strapi's yup errors. */
export const fieldError = (path: string, message: string) =>
  new errors.ValidationError(message, {
    errors: [{ path: path.split('.'), message, name: 'ValidationError' }],
  });

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
