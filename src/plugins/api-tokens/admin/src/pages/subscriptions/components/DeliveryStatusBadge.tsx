import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { DeliveryStatus } from '../../../api/subscriptions';
import { getTranslation } from '../../../utils/getTranslation';

const VARIANTS = { sent: 'success', failed: 'danger', skipped: 'neutral' } as const;
const LABELS: Record<DeliveryStatus, string> = { sent: 'Sent', failed: 'Failed', skipped: 'Skipped' };

/** One recipient's outcome. */
export const DeliveryStatusBadge = ({ status }: { status: DeliveryStatus }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={VARIANTS[status] ?? 'neutral'} data-delivery-status={status}>
      {formatMessage({ id: getTranslation(`deliveries.status.${status}`), defaultMessage: LABELS[status] ?? status })}
    </Badge>
  );
};
