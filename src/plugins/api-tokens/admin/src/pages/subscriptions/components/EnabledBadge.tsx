import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../../../utils/getTranslation';

/** Whether a subscription is sent at all (on its schedule, or when triggered). */
export const EnabledBadge = ({ enabled }: { enabled: boolean }) => {
  const { formatMessage } = useIntl();
  return (
    <Badge variant={enabled ? 'success' : 'neutral'} data-enabled={enabled}>
      {enabled
        ? formatMessage({ id: getTranslation('subscriptions.enabled'), defaultMessage: 'Enabled' })
        : formatMessage({ id: getTranslation('subscriptions.disabled'), defaultMessage: 'Disabled' })}
    </Badge>
  );
};
