import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { RunStatus } from '../api/runs';
import { getTranslation } from '../utils/getTranslation';

const RUN_VARIANTS = {
  queued: 'neutral',
  running: 'primary',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
} as const;

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A run's status (any kind), coloured by outcome. */
export const RunStatusBadge = ({ status }: { status: RunStatus }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={RUN_VARIANTS[status] ?? 'neutral'} data-run-status={status}>
      {formatMessage({
        id: getTranslation(`runs.status.${status}`),
        defaultMessage: RUN_STATUS_LABELS[status] ?? status,
      })}
    </Badge>
  );
};
