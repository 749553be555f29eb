import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { RunStatus, RunTrigger } from '../../../api/runs';
import type { ModelStatus } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';

const MODEL_VARIANTS = {
  empty: 'neutral',
  refreshing: 'primary',
  ready: 'success',
  failed: 'danger',
} as const;

const MODEL_LABELS: Record<ModelStatus, string> = {
  empty: 'Empty',
  refreshing: 'Refreshing',
  ready: 'Ready',
  failed: 'Failed',
};

export const ModelStatusBadge = ({ status }: { status: ModelStatus }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={MODEL_VARIANTS[status] ?? 'neutral'} data-status={status}>
      {formatMessage({ id: getTranslation(`models.status.${status}`), defaultMessage: MODEL_LABELS[status] ?? status })}
    </Badge>
  );
};

const RUN_VARIANTS = {
  queued: 'neutral',
  running: 'primary',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
} as const;

const RUN_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const RunStatusBadge = ({ status }: { status: RunStatus }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={RUN_VARIANTS[status] ?? 'neutral'} data-run-status={status}>
      {formatMessage({ id: getTranslation(`runs.status.${status}`), defaultMessage: RUN_LABELS[status] ?? status })}
    </Badge>
  );
};

const TRIGGER_LABELS: Record<RunTrigger, string> = {
  admin: 'Admin panel',
  api: 'API',
  schedule: 'Schedule',
};

export const useTriggerLabel = () => {
  const { formatMessage } = useIntl();
  return (trigger: RunTrigger) =>
    formatMessage({
      id: getTranslation(`runs.trigger.${trigger}`),
      defaultMessage: TRIGGER_LABELS[trigger] ?? trigger,
    });
};
