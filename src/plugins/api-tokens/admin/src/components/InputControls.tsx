import {
  Box,
  Field,
  Flex,
  MultiSelect,
  MultiSelectOption,
  SingleSelect,
  SingleSelectOption,
} from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { InputValues, ReportInputOptions } from '../api/reports';
import { getTranslation } from '../utils/getTranslation';

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
        const options = input.options.filter((option) => option !== null && option !== undefined).map(String);
        return (
          <Box
            key={input.name}
            width="24rem"
            data-input={input.name}
            data-input-type={input.type}
            data-testid={`input-${input.name}`}
          >
            <Field.Root name={`inputs.${input.name}`} required={input.required} error={errors[input.name]}>
              <Field.Label>{input.name}</Field.Label>
              {input.type === 'multi-select' ? (
                <MultiSelect
                  value={chosen}
                  withTags
                  placeholder={placeholder}
                  clearLabel={clearLabel}
                  onClear={input.required ? undefined : () => onChange(input.name, [])}
                  onChange={(next: string[]) => onChange(input.name, next)}
                >
                  {options.map((option) => (
                    <MultiSelectOption key={option} value={option}>
                      {option}
                    </MultiSelectOption>
                  ))}
                </MultiSelect>
              ) : (
                <SingleSelect
                  value={chosen[0] ?? null}
                  placeholder={placeholder}
                  clearLabel={clearLabel}
                  onClear={input.required ? undefined : () => onChange(input.name, '')}
                  onChange={(next: string | number) => onChange(input.name, String(next))}
                >
                  {options.map((option) => (
                    <SingleSelectOption key={option} value={option}>
                      {option}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              )}
              <Field.Error />
            </Field.Root>
          </Box>
        );
      })}
    </Flex>
  );
};
