import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQueryClient } from 'react-query';
import { isFinished, runKeys, useRunsApi, type Run } from '../api/runs';
import { errorCodeOf, errorMessageOf, isAbort } from './errors';
import { getTranslation } from './getTranslation';

/**
 * The cancel confirmed in CancelRunDialog: the run being confirmed, and the cancel itself, which refetches every run
 * list (a running run stops at its next step, and the lists' polling shows it cancelled).
 */
export const useCancelRun = (onCancelled?: (run: Run) => void) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const queryClient = useQueryClient();
  const api = useRunsApi();
  const [cancelling, setCancelling] = React.useState<Run | null>(null);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const confirmCancel = async () => {
    if (!cancelling) return;
    try {
      const run = await api.cancelRun(cancelling.id);
      queryClient.setQueryData(runKeys.detail(run.id), run);
      if (!isFinished(run)) {
        toggleNotification({
          type: 'info',
          message: t('runs.cancel.pendingAny', 'Cancel requested: the run stops at its next step.'),
        });
      }
      onCancelled?.(run);
    } catch (error) {
      if (errorCodeOf(error) === 'RUN_FINISHED') {
        toggleNotification({ type: 'info', message: t('runs.cancel.finished', 'The run had already finished.') });
      } else if (!isAbort(error)) {
        toggleNotification({
          type: 'danger',
          message: errorMessageOf(error, t('runs.cancel.error', 'The run could not be cancelled')),
        });
      }
    } finally {
      void queryClient.invalidateQueries(runKeys.lists());
      setCancelling(null);
    }
  };

  return { cancelling, setCancelling, confirmCancel };
};
