import { Box, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { InputValues, ReportInputOptions } from '../../../api/reports';
import { MultiSelectField, SelectField } from '../../../components/SelectField';
import { getTranslation } from '../../../utils/getTranslation';

interface InputControlsProps {
  inputs: ReportInputOptions[];
  /** The values the reader picked; an input not in it shows (and the server applies) its default. */
  values: InputValues;
  onChange: (name: string, value: string | string[] | undefined) => void;
}

const asList = (value: unknown): string[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/**
 * A report's data inputs: a SingleSelect or a MultiSelect each, whose options are the distinct values of its column in
 * the model's current snapshot.
 */
export const InputControls = ({ inputs, values, onChange }: InputControlsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  return (
    <Flex gap={4} wrap="wrap" alignItems="flex-start" data-testid="report-inputs">
      {inputs.map((input) => {
        const options = input.options.map((option) => ({ value: String(option), label: String(option) }));
        const current = asList(values[input.name] ?? input.default);
        const field = {
          name: `inputs.${input.name}`,
          label: input.name,
          hint: input.default
            ? t('reports.page.input.default', 'Default: {value}', { value: asList(input.default).join(', ') })
            : undefined,
          required: input.required,
          placeholder: t('reports.page.input.all', 'All values'),
          options,
        };
        return (
          <Box key={input.name} width="24rem" data-testid={`input-${input.name}`}>
            {input.type === 'multi-select' ? (
              <MultiSelectField
                {...field}
                value={current}
                onChange={(next) => onChange(input.name, next.length > 0 ? next : undefined)}
              />
            ) : (
              <SelectField
                {...field}
                value={current[0] ?? ''}
                onChange={(next) => onChange(input.name, next)}
                onClear={input.required ? undefined : () => onChange(input.name, undefined)}
                clearLabel={t('reports.page.input.clear', 'Clear')}
              />
            )}
          </Box>
        );
      })}
    </Flex>
  );
};
