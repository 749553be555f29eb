import { Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Schedule } from '../api/runs';
import { describeCron } from '../utils/cron';
import { getTranslation } from '../utils/getTranslation';
import { useRelativeTime } from './DateText';
import { Monospace } from './Monospace';

interface ScheduleTextProps {
  /** Null: not scheduled, shown as `noneLabel`. */
  schedule: Schedule | null;
  noneLabel: string;
  /** When the scheduler runs it next, or null. */
  nextAt: string | null;
  /** Why the scheduler turned the schedule off, or null. */
  disabledReason: string | null;
  /** The test id of the "Next: …" line. */
  nextTestId?: string;
}

/** A cron and what it means in plain language with its zone, the next run, and why the schedule is off. */
export const ScheduleText = ({
  schedule,
  noneLabel,
  nextAt,
  disabledReason,
  nextTestId = 'next-run',
}: ScheduleTextProps) => {
  const { formatMessage } = useIntl();
  const relative = useRelativeTime();
  const description = schedule ? describeCron(schedule.cron, schedule.timezone) : null;
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      {schedule ? (
        <>
          <Monospace variant="omega" textColor="neutral800" data-testid="schedule-cron">
            {schedule.cron}
          </Monospace>
          <Typography variant="pi" textColor="neutral800" data-testid="cron-description">
            {description ?? schedule.timezone}
          </Typography>
        </>
      ) : (
        <Typography textColor="neutral800">{noneLabel}</Typography>
      )}
      {nextAt ? (
        <Typography variant="pi" textColor="neutral600" data-testid={nextTestId}>
          {formatMessage(
            { id: getTranslation('schedule.next'), defaultMessage: 'Next: {when}' },
            { when: relative(nextAt) }
          )}
        </Typography>
      ) : null}
      {disabledReason ? (
        <Typography variant="pi" textColor="danger600">
          {formatMessage(
            { id: getTranslation('schedule.disabled'), defaultMessage: 'Schedule disabled: {reason}' },
            { reason: disabledReason }
          )}
        </Typography>
      ) : null}
    </Flex>
  );
};
