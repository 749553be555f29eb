import { useIntl } from 'react-intl';
import type { SubscriptionFormat } from '../../api/subscriptions';
import { getTranslation } from '../../utils/getTranslation';

const FORMAT_LABELS: Record<SubscriptionFormat, string> = {
  pdf: 'PDF',
  xlsx: 'Excel (XLSX)',
  csv: 'CSV',
  html: 'In the mail (HTML)',
};

/** A delivery format in words. */
export const useFormatLabel = () => {
  const { formatMessage } = useIntl();
  return (format: SubscriptionFormat) =>
    formatMessage({
      id: getTranslation(`subscriptions.format.${format}`),
      defaultMessage: FORMAT_LABELS[format] ?? format,
    });
};
