import { Field, Flex, Grid, Toggle, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { TextField } from '../../../components/TextField';
import { getTranslation } from '../../../utils/getTranslation';
import { Monospace } from '../../../components/Monospace';
import type { ReportDraft } from '../reportDraft';

type EmbedDraft = ReportDraft['embed'];

interface EmbedFieldsProps {
  embed: EmbedDraft;
  /** The saved report's embed id, once embedding has been enabled. */
  embedId?: string | null;
  errorOf: (key: string) => string | undefined;
  onChange: (embed: EmbedDraft, edited: string) => void;
  /** Under the origins: who may embed what (a report's by default). */
  originsHint?: string;
}

/** Whether a report (or a dashboard) may be embedded, and from which origins. */
export const EmbedFields = ({ embed, embedId, errorOf, onChange, originsHint }: EmbedFieldsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  return (
    <Grid.Root gap={4}>
      <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
        <Field.Root name="embed.enabled" error={errorOf('embed.enabled') ?? errorOf('embed')}>
          <Field.Label>{t('reports.editor.embed.enabled', 'Embedding')}</Field.Label>
          <Toggle
            onLabel={t('reports.editor.embed.on', 'On')}
            offLabel={t('reports.editor.embed.off', 'Off')}
            checked={embed.enabled}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
              onChange({ ...embed, enabled: event.target.checked }, 'embed.enabled')
            }
          />
          <Field.Error />
        </Field.Root>
        {embedId ? (
          <Flex direction="column" alignItems="flex-start" gap={1} paddingTop={3}>
            <Typography variant="sigma" textColor="neutral600">
              {t('reports.editor.embed.id', 'Embed id')}
            </Typography>
            <Monospace variant="omega" textColor="neutral800" data-testid="embed-id">
              {embedId}
            </Monospace>
          </Flex>
        ) : null}
      </Grid.Item>
      <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
        <TextField
          name="embed.allowedOrigins"
          label={t('reports.editor.embed.origins', 'Allowed origins')}
          hint={
            originsHint ??
            t(
              'reports.editor.embed.origins.hint',
              'One origin a line, e.g. https://app.example.com. Only pages on these origins may embed the report.'
            )
          }
          multiline
          spellCheck={false}
          disabled={!embed.enabled}
          error={errorOf('embed.allowedOrigins')}
          value={embed.allowedOrigins}
          onChange={(allowedOrigins) => onChange({ ...embed, allowedOrigins }, 'embed.allowedOrigins')}
        />
      </Grid.Item>
    </Grid.Root>
  );
};
