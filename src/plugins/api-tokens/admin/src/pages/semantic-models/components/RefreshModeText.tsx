import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { SemanticModel } from '../../../api/semantic-models';
import { describeCron } from '../../../utils/cron';
import { getTranslation } from '../../../utils/getTranslation';
import { Monospace } from '../../tokens/components/Monospace';
import { useRelativeTime } from './DateText';

/** "Manual", or the cron in plain language with its zone and the next refresh, plus why the schedule was turned off. */
export const RefreshModeText = ({
  model,
}: {
  model: Pick<SemanticModel, 'refresh' | 'scheduleDisabledReason' | 'nextRefreshAt'>;
}) => {
  const { formatMessage } = useIntl();
  const { refresh, scheduleDisabledReason, nextRefreshAt } = model;
  const relative = useRelativeTime();
  const description = refresh.mode === 'scheduled' ? describeCron(refresh.cron, refresh.timezone) : null;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      {refresh.mode === 'scheduled' ? (
        <>
          <Monospace variant="omega" textColor="neutral800" data-testid="refresh-cron">
            {refresh.cron}
          </Monospace>
          <Typography variant="pi" textColor="neutral800" data-testid="cron-description">
            {description ?? refresh.timezone}
          </Typography>
        </>
      ) : (
        <Typography textColor="neutral800">
          {formatMessage({ id: getTranslation('models.refresh.manual'), defaultMessage: 'Manual' })}
        </Typography>
      )}
      {nextRefreshAt ? (
        <Typography variant="pi" textColor="neutral600" data-testid="next-refresh">
          {formatMessage(
            { id: getTranslation('models.refresh.next'), defaultMessage: 'Next: {when}' },
            { when: relative(nextRefreshAt) }
          )}
        </Typography>
      ) : null}
      {scheduleDisabledReason ? (
        <Typography variant="pi" textColor="danger600">
          {formatMessage(
            { id: getTranslation('models.refresh.disabled'), defaultMessage: 'Schedule disabled: {reason}' },
            { reason: scheduleDisabledReason }
          )}
        </Typography>
      ) : null}
    </Flex>
  );
};
