import { Box, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { runKeys, useRunsApi } from '../api/runs';
import { describeCron, hasFiveFields } from '../utils/cron';
import { errorMessageOf, fieldErrorsByPath, isAbort, statusOf } from '../utils/errors';
import { getTranslation } from '../utils/getTranslation';
import { retryUnlessClientError } from '../utils/queryRetry';
import { useDebouncedValue } from '../utils/useDebouncedValue';
import { TextField } from './TextField';
import { TimeZoneField } from './TimeZoneField';
import { Monospace } from './Monospace';
import { useRelativeTime } from './DateText';

const PREVIEW_COUNT = 5;
const DEBOUNCE_MS = 400;

type PreviewState =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; next: string[] }
  | { state: 'invalid'; cron?: string; timezone?: string; message?: string }
  | { state: 'unavailable'; message: string };

interface ScheduleFieldsProps {
  cron: string;
  timezone: string;
  onCronChange: (cron: string) => void;
  onTimezoneChange: (timezone: string) => void;
  /** Errors from the save, under the cron and the time zone. */
  errors: { cron?: string; timezone?: string };
}

/** The cron and time-zone inputs of a scheduled refresh, with the next occurrences the server computes. */
export const ScheduleFields = ({ cron, timezone, onCronChange, onTimezoneChange, errors }: ScheduleFieldsProps) => {
  const { formatMessage, formatDate } = useIntl();
  const relative = useRelativeTime();
  const api = useRunsApi();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const fiveFieldsMessage = t(
    'schedule.error.cron.fields',
    'Use exactly five fields: minute, hour, day of month, month, day of week'
  );
  const trimmed = cron.trim();
  const debouncedCron = useDebouncedValue(trimmed, DEBOUNCE_MS);
  const debouncedTimezone = useDebouncedValue(timezone, DEBOUNCE_MS);
  const isSettled = debouncedCron === trimmed && debouncedTimezone === timezone;
  const isComplete = Boolean(trimmed && timezone) && hasFiveFields(trimmed);

  const nextRuns = useQuery(
    runKeys.schedulePreview(debouncedCron, debouncedTimezone),
    ({ signal }) => api.schedulePreview(debouncedCron, debouncedTimezone, PREVIEW_COUNT, signal),
    { enabled: isSettled && isComplete, retry: retryUnlessClientError }
  );

  const previewOf = (): PreviewState => {
    if (!trimmed || !timezone) return { state: 'idle' };
    if (!hasFiveFields(trimmed)) return { state: 'invalid', cron: fiveFieldsMessage };
    if (!isSettled) return { state: 'loading' };
    if (nextRuns.data) return { state: 'ready', next: nextRuns.data };
    const error = nextRuns.error;
    if (!nextRuns.isError || isAbort(error)) return { state: 'loading' };
    const status = statusOf(error);
    if (status === 400) {
      const fields = fieldErrorsByPath(error);
      const cronError = fields.cron ?? fields['refresh.cron'];
      const timezoneError = fields.timezone ?? fields['refresh.timezone'];
      return {
        state: 'invalid',
        cron: cronError,
        timezone: timezoneError,
        message: cronError || timezoneError ? undefined : errorMessageOf(error, 'Invalid schedule'),
      };
    }
    return {
      state: 'unavailable',
      message:
        status === 404
          ? t('schedule.preview.missing', 'The next runs cannot be previewed on this server.')
          : errorMessageOf(error, t('schedule.preview.error', 'The next runs could not be computed.')),
    };
  };
  const preview = previewOf();

  const cronError = errors.cron ?? (preview.state === 'invalid' ? preview.cron : undefined);
  const description = describeCron(cron, timezone);
  const timezoneError = errors.timezone ?? (preview.state === 'invalid' ? preview.timezone : undefined);

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Grid.Root gap={5}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <TextField
            name="cron"
            required
            label={t('schedule.cron', 'Cron expression')}
            hint={t(
              'schedule.cron.hint',
              'Exactly five fields: minute, hour, day of month, month, day of week (no seconds). E.g. “30 2 * * *” runs every day at 02:30.'
            )}
            error={cronError}
            value={cron}
            placeholder="30 2 * * *"
            spellCheck={false}
            onChange={onCronChange}
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <TimeZoneField
            name="timezone"
            required
            label={t('schedule.timezone', 'Time zone')}
            hint={t('schedule.timezone.hint', 'The cron runs on this zone’s wall clock, daylight saving included.')}
            error={timezoneError}
            value={timezone}
            noneMessage={t('schedule.timezone.none', 'No matching time zone')}
            onChange={onTimezoneChange}
          />
        </Grid.Item>
      </Grid.Root>
      <Box
        background="neutral100"
        hasRadius
        padding={4}
        role="region"
        aria-label={t('schedule.preview', 'Next runs')}
        data-testid="schedule-preview"
      >
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Flex gap={2}>
            <Typography variant="sigma" textColor="neutral600">
              {t('schedule.preview', 'Next runs')}
            </Typography>
            {preview.state === 'loading' ? <Loader small>{t('schedule.loading', 'Loading')}</Loader> : null}
          </Flex>
          {preview.state === 'idle' ? (
            <Typography variant="pi" textColor="neutral600">
              {t('schedule.preview.idle', 'Type a cron expression to see when it runs.')}
            </Typography>
          ) : null}
          {preview.state === 'invalid' ? (
            <Typography variant="pi" textColor="danger600">
              {preview.message ?? t('schedule.preview.invalid', 'Fix the schedule to see when it runs.')}
            </Typography>
          ) : null}
          {preview.state === 'unavailable' ? (
            <Typography variant="pi" textColor="neutral600">
              {preview.message}
            </Typography>
          ) : null}
          {preview.state === 'ready' && description ? (
            <Typography textColor="neutral800" fontWeight="semiBold" data-testid="cron-description">
              {description}
            </Typography>
          ) : null}
          {preview.state === 'ready' ? (
            <Flex tag="ol" direction="column" alignItems="stretch" gap={1} data-testid="schedule-preview-list">
              {preview.next.map((iso) => (
                <Flex tag="li" key={iso} gap={3} wrap="wrap">
                  <Monospace variant="omega" textColor="neutral800" style={{ wordBreak: 'normal' }}>
                    {formatDate(iso, {
                      timeZone: timezone,
                      weekday: 'short',
                      year: 'numeric',
                      month: 'short',
                      day: 'numeric',
                      hour: '2-digit',
                      minute: '2-digit',
                      hourCycle: 'h23',
                      timeZoneName: 'short',
                    })}
                  </Monospace>
                  <Typography variant="pi" textColor="neutral600">
                    {relative(iso)}
                  </Typography>
                </Flex>
              ))}
            </Flex>
          ) : null}
        </Flex>
      </Box>
    </Flex>
  );
};
