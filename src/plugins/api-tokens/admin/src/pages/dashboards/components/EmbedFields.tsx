import { Checkbox, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { FormSection } from '../../../components/FormSection';
import { TextField } from '../../../components/TextField';
import { getTranslation } from '../../../utils/getTranslation';
import { Monospace } from '../../tokens/components/Monospace';

interface EmbedFieldsProps {
  enabled: boolean;
  /** The allowed origins, one a line. */
  origins: string;
  /** Set once embedding was first enabled and saved. */
  embedId: string | null;
  errors: { enabled?: string; origins?: string };
  onEnabledChange: (enabled: boolean) => void;
  onOriginsChange: (origins: string) => void;
}

/** A dashboard's embed settings: whether it may be embedded, and by which origins. */
export const EmbedFields = ({
  enabled,
  origins,
  embedId,
  errors,
  onEnabledChange,
  onOriginsChange,
}: EmbedFieldsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <FormSection
      title={t('dashboards.embed', 'Embedding')}
      hint={t('dashboards.embed.hint', 'Other sites may show this dashboard in a frame, from the origins listed.')}
    >
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Checkbox
          name="embed.enabled"
          checked={enabled}
          onCheckedChange={(value: boolean | 'indeterminate') => onEnabledChange(value === true)}
        >
          {t('dashboards.embed.enabled', 'Allow embedding')}
        </Checkbox>
        {errors.enabled ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errors.enabled}
          </Typography>
        ) : null}
        <TextField
          name="embed.allowedOrigins"
          multiline
          spellCheck={false}
          label={t('dashboards.embed.origins', 'Allowed origins')}
          hint={t(
            'dashboards.embed.origins.hint',
            'One a line, as browsers send them: https://example.com or http://localhost:3000 (no path).'
          )}
          error={errors.origins}
          value={origins}
          disabled={!enabled}
          onChange={onOriginsChange}
        />
        {embedId ? (
          <Flex gap={2}>
            <Typography variant="pi" textColor="neutral600">
              {t('dashboards.embed.id', 'Embed id')}
            </Typography>
            <Monospace variant="pi" textColor="neutral800" data-testid="embed-id">
              {embedId}
            </Monospace>
          </Flex>
        ) : null}
      </Flex>
    </FormSection>
  );
};
