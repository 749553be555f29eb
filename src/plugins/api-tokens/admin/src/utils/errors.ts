import { isFetchError } from '@strapi/strapi/admin';
import type { ErrorCode } from '../../../server/src/shared/types';

/** `{ 'name': message, 'refresh.cron': message, … }` from a ValidationError's `details.errors[].path` (dotted). */
export const fieldErrorsByPath = (error: unknown): Record<string, string> => {
  if (!isFetchError(error)) return {};
  const errors = (error.response?.data?.error as any)?.details?.errors;
  if (!Array.isArray(errors)) return {};
  const out: Record<string, string> = {};
  for (const item of errors) {
    const path = Array.isArray(item?.path) ? item.path.join('.') : typeof item?.path === 'string' ? item.path : '';
    if (path && !out[path]) out[path] = String(item.message);
  }
  return out;
};

/** A form's field errors from a ValidationError: each path mapped to a form field by `fieldOf`, first message wins. */
export const formErrorsOf = <Field extends string>(
  error: unknown,
  fieldOf: (path: string) => Field | undefined
): Partial<Record<Field, string>> => {
  const out: Partial<Record<Field, string>> = {};
  for (const [path, message] of Object.entries(fieldErrorsByPath(error))) {
    const field = fieldOf(path);
    if (field && !out[field]) out[field] = message;
  }
  return out;
};

/** The server's error message, or the fallback. */
export const errorMessageOf = (error: unknown, fallback: string): string => {
  if (isFetchError(error)) return error.response?.data?.error?.message || error.message || fallback;
  return fallback;
};

/** `error.details` of a failed request's Strapi error body (empty when there is none). */
export const errorDetailsOf = (error: unknown): Record<string, unknown> => {
  const details = isFetchError(error) ? (error.response?.data?.error as any)?.details : undefined;
  return details && typeof details === 'object' ? details : {};
};

/** The machine-readable `error.details.code` of a failed request; read it, never the message. */
export const errorCodeOf = (error: unknown): ErrorCode | undefined => {
  const code = errorDetailsOf(error).code;
  return typeof code === 'string' ? (code as ErrorCode) : undefined;
};

/** The HTTP status of a failed request, if it got an answer. */
export const statusOf = (error: unknown): number | undefined =>
  isFetchError(error) ? (error.status ?? error.response?.data?.error?.status) : undefined;

/** True for an aborted request (the component unmounted). */
export const isAbort = (error: unknown) => (error as Error)?.name === 'AbortError';

type Notify = (notification: { type: 'warning' | 'danger'; message: string }) => void;

/**
 * After a failed save: the server's field errors go under their fields (and a warning says to check them), anything
 * else becomes one error notification with the server's message. An aborted request is ignored.
 */
export const reportSaveError = <Field extends string>(
  error: unknown,
  {
    fieldOf,
    setErrors,
    notify,
    invalidMessage,
    failedMessage,
  }: {
    fieldOf: (path: string) => Field | undefined;
    setErrors: (errors: Partial<Record<Field, string>>) => void;
    notify: Notify;
    /** "Check the highlighted fields". */
    invalidMessage: string;
    /** Shown when the server gave no message. */
    failedMessage: string;
  }
) => {
  if (isAbort(error)) return;
  const fieldErrors = formErrorsOf(error, fieldOf);
  if (Object.keys(fieldErrors).length > 0) {
    setErrors(fieldErrors);
    notify({ type: 'warning', message: invalidMessage });
  } else {
    notify({ type: 'danger', message: errorMessageOf(error, failedMessage) });
  }
};
