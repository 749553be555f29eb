import { Box, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { InputValues, ReportInputOptions } from '../api/reports';
import { getTranslation } from '../utils/getTranslation';
import { MultiSelectField, SelectField } from './SelectField';

interface InputControlsProps {
  /** The inputs with their options now (`GET …/inputs`). */
  inputs: ReportInputOptions[];
  /** The chosen values; an input without one shows (and the server applies) its default. */
  values: InputValues;
  /** An empty string or array: the control was cleared (no filter). */
  onChange: (name: string, value: string | string[]) => void;
  /** Field errors by input name, e.g. a 400 naming `inputs.channel`. */
  errors?: Record<string, string | undefined>;
}

const asList = (value: string | string[] | null | undefined): string[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : value === '' ? [] : [value];

/** A report's or a dashboard's data inputs: a SingleSelect or a MultiSelect per input, its options from the model. */
export const InputControls = ({ inputs, values, onChange, errors = {} }: InputControlsProps) => {
  const { formatMessage } = useIntl();
  const clearLabel = formatMessage({ id: getTranslation('chart.inputs.clear'), defaultMessage: 'Clear' });
  const placeholder = formatMessage({ id: getTranslation('chart.inputs.all'), defaultMessage: 'All values' });

  return (
    <Flex gap={4} wrap="wrap" alignItems="flex-start" data-testid="input-controls">
      {inputs.map((input) => {
        const chosen = asList(values[input.name] ?? input.default);
        const options = input.options
          .filter((option) => option !== null && option !== undefined)
          .map((option) => ({ value: String(option), label: String(option) }));
        const field = {
          name: `inputs.${input.name}`,
          label: input.name,
          required: input.required,
          error: errors[input.name],
          placeholder,
          options,
        };
        return (
          <Box
            key={input.name}
            width="24rem"
            data-input={input.name}
            data-input-type={input.type}
            data-testid={`input-${input.name}`}
          >
            {input.type === 'multi-select' ? (
              <MultiSelectField {...field} value={chosen} onChange={(next) => onChange(input.name, next)} />
            ) : (
              <SelectField
                {...field}
                value={chosen[0] ?? ''}
                clearLabel={clearLabel}
                onClear={input.required ? undefined : () => onChange(input.name, '')}
                onChange={(next) => onChange(input.name, next)}
              />
            )}
          </Box>
        );
      })}
    </Flex>
  );
};
