import { useIntl } from 'react-intl';
import type { ResourceKind } from '../../../api/tokens';
import { getTranslation } from '../../../utils/getTranslation';
import type { ResourceOption } from '../useResourceOptions';

/** The names the token screens give resource kinds and options; an id not among `options` shows as itself. */
export const useResourceLabels = (options: ResourceOption[]) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const kindLabel = (kind: ResourceKind, count: number) =>
    ({
      models: t('tokens.resources.models', '{count, plural, one {semantic model} other {Semantic models}}', { count }),
      subscriptions: t('tokens.resources.subscriptions', '{count, plural, one {subscription} other {Subscriptions}}', {
        count,
      }),
      embeds: t('tokens.resources.embeds', '{count, plural, one {embed} other {Embeds (reports and dashboards)}}', {
        count,
      }),
    })[kind];
  const optionLabel = (option: ResourceOption) =>
    option.type === 'report'
      ? t('tokens.resources.report', '{name} (report)', { name: option.name })
      : option.type === 'dashboard'
        ? t('tokens.resources.dashboard', '{name} (dashboard)', { name: option.name })
        : option.name;
  const nameOf = (documentId: string) => {
    const option = options.find((candidate) => candidate.documentId === documentId);
    return option ? optionLabel(option) : documentId;
  };
  return { kindLabel, optionLabel, nameOf };
};
