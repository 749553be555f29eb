import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { TokenStatus } from '../../../api/tokens';
import { getTranslation } from '../../../utils/getTranslation';

const VARIANTS = {
  active: 'success',
  'expiring-soon': 'warning',
  expired: 'neutral',
  revoked: 'danger',
} as const;

const LABELS: Record<TokenStatus, string> = {
  active: 'Active',
  'expiring-soon': 'Expiring soon',
  expired: 'Expired',
  revoked: 'Revoked',
};

export const StatusBadge = ({ status }: { status: TokenStatus }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={VARIANTS[status] ?? 'neutral'} data-status={status}>
      {formatMessage({ id: getTranslation(`tokens.status.${status}`), defaultMessage: LABELS[status] ?? status })}
    </Badge>
  );
};
