import { Field, Flex, Grid, NumberInput } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { ScheduleFields } from '../../../components/ScheduleFields';
import { SelectField } from '../../../components/SelectField';
import { ToggleField } from '../../../components/ToggleField';
import { getTranslation } from '../../../utils/getTranslation';
import type { SubscriptionDraft } from '../subscriptionDraft';

type ScheduleDraft = Pick<SubscriptionDraft, 'scheduled' | 'cron' | 'timezone' | 'missedRunPolicy' | 'maxAttempts'>;

interface ScheduleSectionProps {
  draft: ScheduleDraft;
  errorOf: (key: string) => string | undefined;
  /** `edited`: the field key whose errors the edit clears. */
  onChange: (patch: Partial<ScheduleDraft>, edited: string) => void;
}

/** When the subscription is sent: on a cron with its next runs, or only when triggered; retries and missed runs. */
export const ScheduleSection = ({ draft, errorOf, onChange }: ScheduleSectionProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  return (
    <Flex direction="column" alignItems="stretch" gap={5}>
      <ToggleField
        name="schedule.enabled"
        label={t('subscriptions.editor.scheduled', 'Send on a schedule')}
        hint={t(
          'subscriptions.editor.scheduled.hint',
          'Off: it is sent only with “Send now” or when an app triggers it through the API.'
        )}
        error={errorOf('schedule')}
        onLabel={t('subscriptions.editor.on', 'On')}
        offLabel={t('subscriptions.editor.off', 'Off')}
        checked={draft.scheduled}
        onChange={(scheduled) => onChange({ scheduled }, 'schedule')}
      />
      {draft.scheduled ? (
        <ScheduleFields
          cron={draft.cron}
          timezone={draft.timezone}
          onCronChange={(cron) => onChange({ cron }, 'schedule.cron')}
          onTimezoneChange={(timezone) => onChange({ timezone }, 'schedule.timezone')}
          errors={{ cron: errorOf('schedule.cron'), timezone: errorOf('schedule.timezone') }}
        />
      ) : null}
      <Grid.Root gap={5}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <SelectField
            name="missedRunPolicy"
            label={t('subscriptions.editor.missedRunPolicy', 'Missed runs')}
            hint={t(
              'subscriptions.editor.missedRunPolicy.hint',
              'What happens to occurrences missed while the server was down.'
            )}
            error={errorOf('missedRunPolicy')}
            options={[
              { value: 'skip', label: t('subscriptions.missedRunPolicy.skip', 'Skip them') },
              { value: 'once', label: t('subscriptions.missedRunPolicy.once', 'Send once on restart') },
            ]}
            value={draft.missedRunPolicy}
            onChange={(value) =>
              onChange({ missedRunPolicy: value as ScheduleDraft['missedRunPolicy'] }, 'missedRunPolicy')
            }
          />
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            name="maxAttempts"
            error={errorOf('maxAttempts')}
            hint={t(
              'subscriptions.editor.maxAttempts.hint',
              'A failed run is retried until this many attempts; a retry mails only who was not reached.'
            )}
          >
            <Field.Label>{t('subscriptions.editor.maxAttempts', 'Attempts')}</Field.Label>
            <NumberInput
              value={draft.maxAttempts}
              step={1}
              onValueChange={(maxAttempts: number | undefined) => onChange({ maxAttempts }, 'maxAttempts')}
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
    </Flex>
  );
};
