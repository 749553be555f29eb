import { Grid } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { SubscriptionChannel, SubscriptionFormat } from '../../../api/subscriptions';
import { SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import { ToggleField } from '../../../components/ToggleField';
import { getTranslation } from '../../../utils/getTranslation';
import { MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH } from '../../../../../server/src/shared/limits';
import { FORMATS, type SubscriptionDraft } from '../subscriptionDraft';
import { useFormatLabel } from '../useFormatLabel';

type MessageDraft = Pick<SubscriptionDraft, 'format' | 'channel' | 'subject' | 'message' | 'skipIfEmpty'>;

interface MessageFieldsProps {
  draft: MessageDraft;
  /** The registered channels; the channel select shows only when there is a choice. */
  channels: SubscriptionChannel[];
  errorOf: (key: string) => string | undefined;
  onChange: (patch: Partial<MessageDraft>, edited: string) => void;
}

/** How it is delivered: the format, the channel, the subject and message, and whether an empty result is sent. */
export const MessageFields = ({ draft, channels, errorOf, onChange }: MessageFieldsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const formatLabel = useFormatLabel();

  return (
    <Grid.Root gap={5}>
      <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
        <SelectField
          name="format"
          label={t('subscriptions.editor.format', 'Format')}
          required
          hint={t(
            'subscriptions.editor.format.hint',
            'Attached to the mail; “In the mail” puts the chart and the first rows in the body instead.'
          )}
          error={errorOf('format')}
          options={FORMATS.map((format) => ({ value: format, label: formatLabel(format) }))}
          value={draft.format}
          onChange={(format) => onChange({ format: format as SubscriptionFormat }, 'format')}
        />
      </Grid.Item>
      {channels.length > 1 ? (
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <SelectField
            name="channel"
            label={t('subscriptions.editor.channel', 'Channel')}
            required
            error={errorOf('channel')}
            options={channels.map((channel) => ({ value: channel.name, label: channel.label }))}
            value={draft.channel}
            onChange={(channel) => onChange({ channel }, 'channel')}
          />
        </Grid.Item>
      ) : null}
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <TextField
          name="subject"
          label={t('subscriptions.editor.subject', 'Subject')}
          hint={t('subscriptions.editor.subject.hint', 'At most {max} characters; the report’s name when empty.', {
            max: SUBJECT_MAX_LENGTH,
          })}
          error={errorOf('subject')}
          value={draft.subject}
          maxLength={SUBJECT_MAX_LENGTH}
          onChange={(subject) => onChange({ subject }, 'subject')}
        />
      </Grid.Item>
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <TextField
          name="message"
          label={t('subscriptions.editor.message', 'Message')}
          hint={t('subscriptions.editor.message.hint', 'Shown above the report in the mail.')}
          multiline
          maxLength={MESSAGE_MAX_LENGTH}
          error={errorOf('message')}
          value={draft.message}
          onChange={(message) => onChange({ message }, 'message')}
        />
      </Grid.Item>
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <ToggleField
          name="skipIfEmpty"
          label={t('subscriptions.editor.skipIfEmpty', 'Skip when empty')}
          hint={t('subscriptions.editor.skipIfEmpty.hint', 'Send nothing when the report has no rows.')}
          error={errorOf('skipIfEmpty')}
          onLabel={t('subscriptions.editor.on', 'On')}
          offLabel={t('subscriptions.editor.off', 'Off')}
          checked={draft.skipIfEmpty}
          onChange={(skipIfEmpty) => onChange({ skipIfEmpty }, 'skipIfEmpty')}
        />
      </Grid.Item>
    </Grid.Root>
  );
};
