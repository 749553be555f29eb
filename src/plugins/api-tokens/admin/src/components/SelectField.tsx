import { Field, MultiSelect, MultiSelectOption, SingleSelect, SingleSelectOption } from '@strapi/design-system';

export interface SelectOption {
  value: string;
  label: string;
}

interface BaseProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  options: SelectOption[];
}

interface SelectFieldProps extends BaseProps {
  value: string;
  onChange: (value: string) => void;
  /** With it, the select has a clear button that calls it. */
  onClear?: () => void;
  clearLabel?: string;
}

/** A labelled SingleSelect with its hint and error, as the form fields here draw it. */
export const SelectField = ({
  name,
  label,
  hint,
  error,
  required,
  disabled,
  placeholder,
  options,
  value,
  onChange,
  onClear,
  clearLabel,
}: SelectFieldProps) => (
  <Field.Root name={name} required={required} error={error} hint={hint}>
    <Field.Label>{label}</Field.Label>
    <SingleSelect
      value={value || null}
      placeholder={placeholder}
      disabled={disabled}
      onChange={(next: string | number) => onChange(String(next))}
      onClear={onClear}
      clearLabel={clearLabel}
    >
      {options.map((option) => (
        <SingleSelectOption key={option.value} value={option.value}>
          {option.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

interface MultiSelectFieldProps extends BaseProps {
  value: string[];
  onChange: (value: string[]) => void;
}

/** A labelled MultiSelect with tags, its hint and its error. */
export const MultiSelectField = ({
  name,
  label,
  hint,
  error,
  required,
  disabled,
  placeholder,
  options,
  value,
  onChange,
}: MultiSelectFieldProps) => (
  <Field.Root name={name} required={required} error={error} hint={hint}>
    <Field.Label>{label}</Field.Label>
    <MultiSelect
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      withTags
      onChange={onChange}
    >
      {options.map((option) => (
        <MultiSelectOption key={option.value} value={option.value}>
          {option.label}
        </MultiSelectOption>
      ))}
    </MultiSelect>
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
