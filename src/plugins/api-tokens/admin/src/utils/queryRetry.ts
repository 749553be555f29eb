import { statusOf } from './errors';

/** react-query's `retry`: twice more after a network or server error, never after a 4xx (asking again changes nothing). */
export const retryUnlessClientError = (failureCount: number, error: unknown) => {
  const status = statusOf(error);
  return failureCount < 2 && !(status !== undefined && status >= 400 && status < 500);
};
