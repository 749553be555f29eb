import { useIntl } from 'react-intl';
import type { Run, RunTrigger } from '../api/runs';
import { getTranslation } from './getTranslation';

export const RUN_TRIGGER_LABELS: Record<RunTrigger, string> = {
  admin: 'Admin panel',
  api: 'API',
  schedule: 'Schedule',
};

/** The run kinds the admin names; another registered kind shows as its name. */
export const RUN_KIND_LABELS: Record<string, string> = {
  refresh: 'Model refresh',
  subscription: 'Subscription',
};

/** What started a run and what kind of job it is, in words. */
export const useRunLabels = () => {
  const { formatMessage } = useIntl();
  return {
    triggerLabel: (trigger: RunTrigger) =>
      formatMessage({
        id: getTranslation(`runs.trigger.${trigger}`),
        defaultMessage: RUN_TRIGGER_LABELS[trigger] ?? trigger,
      }),
    kindLabel: (kind: Run['kind']) =>
      RUN_KIND_LABELS[kind]
        ? formatMessage({ id: getTranslation(`runs.kind.${kind}`), defaultMessage: RUN_KIND_LABELS[kind] })
        : kind,
  };
};
