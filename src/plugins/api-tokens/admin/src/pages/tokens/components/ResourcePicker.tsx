import * as React from 'react';
import { Combobox, ComboboxOption, Field, Flex, Grid, Tag } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { RESOURCE_KIND_ORDER, type ResourceKind, type TokenResources } from '../../../api/tokens';
import { getTranslation } from '../../../utils/getTranslation';
import type { ResourceOption } from '../useResourceOptions';
import { useResourceLabels } from './useResourceLabels';

interface ResourceKindFieldProps {
  kind: ResourceKind;
  options: ResourceOption[];
  selected: string[];
  error?: string;
  onChange: (ids: string[]) => void;
}

/** One kind's searchable picker: a combobox of what is not picked yet, and the picked ones as removable tags. */
const ResourceKindField = ({ kind, options, selected, error, onChange }: ResourceKindFieldProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const { kindLabel, optionLabel, nameOf } = useResourceLabels(options);
  // Remounts the combobox after each pick, so it opens empty again.
  const [picks, setPicks] = React.useState(0);
  const available = options.filter((option) => !selected.includes(option.documentId));

  return (
    <Field.Root
      name={`resources.${kind}`}
      error={error}
      hint={t('tokens.resources.kind.hint', 'None picked: any {kind}.', { kind: kindLabel(kind, 1) })}
    >
      <Field.Label>{kindLabel(kind, 2)}</Field.Label>
      <Combobox
        key={picks}
        placeholder={t('tokens.resources.search', 'Search by name')}
        autocomplete={{ type: 'list', filter: 'contains' }}
        noOptionsMessage={() => t('tokens.resources.none', 'Nothing else to pick')}
        onChange={(documentId?: string) => {
          if (!documentId) return;
          onChange([...selected, documentId]);
          setPicks((count) => count + 1);
        }}
      >
        {available.map((option) => (
          <ComboboxOption key={option.documentId} value={option.documentId}>
            {optionLabel(option)}
          </ComboboxOption>
        ))}
      </Combobox>
      <Field.Hint />
      <Field.Error />
      {selected.length > 0 ? (
        <Flex wrap="wrap" gap={1} paddingTop={2} data-testid={`resources-${kind}`}>
          {selected.map((documentId) => (
            <Tag
              key={documentId}
              icon={<Cross />}
              label={t('tokens.resources.remove', 'Remove {name}', { name: nameOf(documentId) })}
              onClick={() => onChange(selected.filter((id) => id !== documentId))}
            >
              {nameOf(documentId)}
            </Tag>
          ))}
        </Flex>
      ) : null}
    </Field.Root>
  );
};

interface ResourcePickerProps {
  value: TokenResources;
  options: Record<ResourceKind, ResourceOption[]>;
  /** Errors by kind (the server's `resources.<kind>[i]`). */
  errors: Partial<Record<ResourceKind, string>>;
  onChange: (value: TokenResources, kind: ResourceKind) => void;
}

/** The targets a token is restricted to, per kind: semantic models, subscriptions and embeds. */
export const ResourcePicker = ({ value, options, errors, onChange }: ResourcePickerProps) => (
  <Grid.Root gap={5}>
    {RESOURCE_KIND_ORDER.map((kind) => (
      <Grid.Item key={kind} col={4} s={12} direction="column" alignItems="stretch">
        <ResourceKindField
          kind={kind}
          options={options[kind]}
          selected={value[kind] ?? []}
          error={errors[kind]}
          onChange={(ids) => onChange({ ...value, [kind]: ids }, kind)}
        />
      </Grid.Item>
    ))}
  </Grid.Root>
);
