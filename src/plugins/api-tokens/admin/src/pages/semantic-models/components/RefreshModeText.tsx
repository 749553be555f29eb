import { useIntl } from 'react-intl';
import type { SemanticModel } from '../../../api/semantic-models';
import { ScheduleText } from '../../../components/ScheduleText';
import { getTranslation } from '../../../utils/getTranslation';

/** "Manual", or the cron in plain language with its zone and the next refresh, plus why the schedule was turned off. */
export const RefreshModeText = ({
  model,
}: {
  model: Pick<SemanticModel, 'refresh' | 'scheduleDisabledReason' | 'nextRefreshAt'>;
}) => {
  const { formatMessage } = useIntl();
  const { refresh } = model;
  return (
    <ScheduleText
      schedule={refresh.mode === 'scheduled' ? { cron: refresh.cron, timezone: refresh.timezone } : null}
      noneLabel={formatMessage({ id: getTranslation('models.refresh.manual'), defaultMessage: 'Manual' })}
      nextAt={model.nextRefreshAt}
      disabledReason={model.scheduleDisabledReason}
      nextTestId="next-refresh"
    />
  );
};
