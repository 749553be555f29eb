import * as React from 'react';
import { Box, Button, Field, Flex, Grid, TextInput } from '@strapi/design-system';
import { Filter } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { AuditFilters } from '../../../api/audit';
import { getTranslation } from '../../../utils/getTranslation';

const FIELDS = [
  { name: 'action', label: 'Action', placeholder: 'token.created' },
  { name: 'subjectType', label: 'Subject type', placeholder: 'api-token' },
  { name: 'subjectId', label: 'Subject ID', placeholder: '' },
  { name: 'actor', label: 'Actor', placeholder: 'admin:1 or token:…' },
] as const;

interface AuditFilterFormProps {
  /** The applied filters (from the URL). */
  value: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

/** Exact-match filters of the audit log, applied together. */
export const AuditFilterForm = ({ value, onApply }: AuditFilterFormProps) => {
  const { formatMessage } = useIntl();
  const [draft, setDraft] = React.useState<AuditFilters>(value);
  const title = formatMessage({ id: getTranslation('audit.filters.title'), defaultMessage: 'Filter audit events' });

  React.useEffect(() => setDraft(value), [value]);

  const trimmed = (filters: AuditFilters): AuditFilters =>
    Object.fromEntries(Object.entries(filters).map(([key, text]) => [key, text?.trim() || undefined]));

  return (
    <Box background="neutral0" hasRadius shadow="filterShadow" padding={4}>
      <form
        aria-label={title}
        onSubmit={(event) => {
          event.preventDefault();
          onApply(trimmed(draft));
        }}
      >
        <Flex alignItems="flex-end" gap={4}>
          <Grid.Root gap={4} flex="1">
            {FIELDS.map((field) => (
              <Grid.Item key={field.name} col={3} s={6} xs={12} direction="column" alignItems="stretch">
                <Field.Root name={field.name}>
                  <Field.Label>
                    {formatMessage({ id: getTranslation(`audit.filters.${field.name}`), defaultMessage: field.label })}
                  </Field.Label>
                  <TextInput
                    size="S"
                    value={draft[field.name] ?? ''}
                    placeholder={field.placeholder}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                      setDraft((current) => ({ ...current, [field.name]: event.target.value }))
                    }
                  />
                </Field.Root>
              </Grid.Item>
            ))}
          </Grid.Root>
          <Flex gap={2}>
            <Button type="submit" size="S" startIcon={<Filter />}>
              {formatMessage({ id: getTranslation('audit.filters.apply'), defaultMessage: 'Apply' })}
            </Button>
            <Button
              type="button"
              size="S"
              variant="tertiary"
              disabled={Object.values(value).every((text) => !text) && Object.values(draft).every((text) => !text)}
              onClick={() => {
                setDraft({});
                onApply({});
              }}
            >
              {formatMessage({ id: getTranslation('audit.filters.clear'), defaultMessage: 'Clear' })}
            </Button>
          </Flex>
        </Flex>
      </form>
    </Box>
  );
};
