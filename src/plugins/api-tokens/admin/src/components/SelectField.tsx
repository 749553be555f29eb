import * as React from 'react';
import { Field, MultiSelect, MultiSelectOption, SingleSelect, SingleSelectOption } from '@strapi/design-system';

export interface SelectOption {
  value: string;
  label: string;
}

interface FrameProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
}

interface BaseProps extends FrameProps {
  disabled?: boolean;
  placeholder?: string;
  options: SelectOption[];
}

/** The options, plus any chosen value they lack (e.g. a saved column its model no longer has), so it shows. */
const withValues = (options: SelectOption[], values: string[]) => [
  ...options,
  ...values
    .filter((value) => value && !options.some((option) => option.value === value))
    .map((value) => ({ value, label: value })),
];

/** The label above a select, its hint and its error under it. */
const Frame = ({ name, label, hint, error, required, children }: FrameProps & { children: React.ReactNode }) => (
  <Field.Root name={name} required={required} error={error} hint={hint}>
    <Field.Label>{label}</Field.Label>
    {children}
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

interface SelectFieldProps extends BaseProps {
  value: string;
  onChange: (value: string) => void;
  /** With it, the select has a clear button that calls it. */
  onClear?: () => void;
  clearLabel?: string;
}

/** A labelled SingleSelect with its hint and error, as the form fields here draw it. */
export const SelectField = ({
  options,
  value,
  onChange,
  onClear,
  clearLabel,
  disabled,
  placeholder,
  ...frame
}: SelectFieldProps) => (
  <Frame {...frame}>
    <SingleSelect
      value={value || null}
      placeholder={placeholder}
      disabled={disabled}
      onChange={(next: string | number) => onChange(String(next))}
      onClear={onClear}
      clearLabel={clearLabel}
    >
      {withValues(options, [value]).map((option) => (
        <SingleSelectOption key={option.value} value={option.value}>
          {option.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  </Frame>
);

interface MultiSelectFieldProps extends BaseProps {
  value: string[];
  onChange: (value: string[]) => void;
}

/** A labelled MultiSelect with tags, its hint and its error. */
export const MultiSelectField = ({
  options,
  value,
  onChange,
  disabled,
  placeholder,
  ...frame
}: MultiSelectFieldProps) => (
  <Frame {...frame}>
    <MultiSelect value={value} placeholder={placeholder} disabled={disabled} withTags onChange={onChange}>
      {withValues(options, value).map((option) => (
        <MultiSelectOption key={option.value} value={option.value}>
          {option.label}
        </MultiSelectOption>
      ))}
    </MultiSelect>
  </Frame>
);
