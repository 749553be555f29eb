import { Box, Flex, Grid, IconButton, TextButton, Typography } from '@strapi/design-system';
import { Cross, Plus } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { MultiSelectField, SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import type { Column } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';
import { isMultiValue } from '../queryOptions';

/** An example of a value each column type takes, as the query layer coerces it. */
const PLACEHOLDERS: Record<string, string> = {
  integer: '42',
  biginteger: '42',
  float: '9.99',
  date: '2026-01-31',
  datetime: '2026-01-31T00:00:00Z',
};

interface FilterValuesFieldProps {
  /** The field key, e.g. `query.filters.1.values`. */
  name: string;
  column: Column | undefined;
  operator: string;
  values: string[];
  error?: string;
  onChange: (values: string[]) => void;
}

/**
 * A filter's values, as its operator takes them: one, two for BETWEEN, one or more for IN/NOT_IN. An enumeration or
 * boolean column picks from its values; the others are typed, as strings the server coerces.
 */
export const FilterValuesField = ({ name, column, operator, values, error, onChange }: FilterValuesFieldProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const choices = column?.enum?.length ? [...column.enum] : column?.type === 'boolean' ? ['true', 'false'] : null;
  const placeholder = column ? PLACEHOLDERS[column.type] : undefined;
  const set = (index: number, value: string) => onChange(values.map((current, at) => (at === index ? value : current)));

  if (choices) {
    const options = choices.map((choice) => ({ value: choice, label: choice }));
    return isMultiValue(operator) ? (
      <MultiSelectField
        name={name}
        label={t('reports.editor.filter.values', 'Values')}
        required
        error={error}
        placeholder={t('reports.editor.filter.pickValues', 'Pick values')}
        options={options}
        value={values.filter(Boolean)}
        onChange={onChange}
      />
    ) : (
      <SelectField
        name={name}
        label={t('reports.editor.filter.value', 'Value')}
        required
        error={error}
        placeholder={t('reports.editor.filter.pickValue', 'Pick a value')}
        options={options}
        value={values[0] ?? ''}
        onChange={(value) => onChange([value])}
      />
    );
  }

  if (operator === 'BETWEEN') {
    return (
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Grid.Root gap={2}>
          {[t('reports.editor.filter.from', 'From'), t('reports.editor.filter.to', 'To (inclusive)')].map(
            (label, index) => (
              <Grid.Item key={label} col={6} direction="column" alignItems="stretch">
                <TextField
                  name={`${name}.${index}`}
                  label={label}
                  required
                  spellCheck={false}
                  placeholder={placeholder}
                  value={values[index] ?? ''}
                  onChange={(value) => set(index, value)}
                />
              </Grid.Item>
            )
          )}
        </Grid.Root>
        {error ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {error}
          </Typography>
        ) : null}
      </Flex>
    );
  }

  if (isMultiValue(operator)) {
    return (
      <Flex direction="column" alignItems="stretch" gap={2}>
        {values.map((value, index) => (
          <Flex key={index} alignItems="flex-end" gap={2}>
            <Box flex="1">
              <TextField
                name={`${name}.${index}`}
                label={t('reports.editor.filter.valueNumber', 'Value {number}', { number: index + 1 })}
                required={index === 0}
                spellCheck={false}
                placeholder={placeholder}
                error={index === values.length - 1 ? error : undefined}
                value={value}
                onChange={(next) => set(index, next)}
              />
            </Box>
            {values.length > 1 ? (
              <Box paddingBottom={error && index === values.length - 1 ? 6 : 1}>
                <IconButton
                  variant="ghost"
                  label={t('reports.editor.filter.removeValue', 'Remove value {number}', { number: index + 1 })}
                  onClick={() => onChange(values.filter((_value, at) => at !== index))}
                >
                  <Cross />
                </IconButton>
              </Box>
            ) : null}
          </Flex>
        ))}
        <Box>
          <TextButton startIcon={<Plus />} onClick={() => onChange([...values, ''])}>
            {t('reports.editor.filter.addValue', 'Add a value')}
          </TextButton>
        </Box>
      </Flex>
    );
  }

  return (
    <TextField
      name={name}
      label={t('reports.editor.filter.value', 'Value')}
      required
      spellCheck={false}
      placeholder={placeholder}
      error={error}
      value={values[0] ?? ''}
      onChange={(value) => onChange([value])}
    />
  );
};
