import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { errorMessageOf, isAbort } from './errors';

/** react-query's `onError` for a load: a toast with the server's message, or `fallback`; an aborted request says nothing. */
export const useNotifyLoadError = () => {
  const { toggleNotification } = useNotification();
  return React.useCallback(
    (fallback: string) => (error: unknown) => {
      if (isAbort(error)) return;
      toggleNotification({ type: 'danger', message: errorMessageOf(error, fallback) });
    },
    [toggleNotification]
  );
};
