import { Badge } from '@strapi/design-system';
import { useIntl } from 'react-intl';
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
