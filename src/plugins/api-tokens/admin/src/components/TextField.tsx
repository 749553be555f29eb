import * as React from 'react';
import { Field, Textarea, TextInput } from '@strapi/design-system';

interface TextFieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  value: string;
  maxLength?: number;
  placeholder?: string;
  /** A multi-line Textarea instead of a one-line input. */
  multiline?: boolean;
  /** Off for codes such as a cron expression. */
  spellCheck?: boolean;
  disabled?: boolean;
  onChange: (value: string) => void;
}

/** A labelled text input with its hint and its error (the design system's Field parts), as every form here uses it. */
export const TextField = ({
  name,
  label,
  hint,
  error,
  required,
  value,
  maxLength,
  placeholder,
  multiline,
  spellCheck,
  disabled,
  onChange,
}: TextFieldProps) => (
  <Field.Root name={name} required={required} error={error} hint={hint}>
    <Field.Label>{label}</Field.Label>
    {multiline ? (
      <Textarea
        value={value}
        maxLength={maxLength}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => onChange(event.target.value)}
      />
    ) : (
      <TextInput
        value={value}
        maxLength={maxLength}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={spellCheck}
        disabled={disabled}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
      />
    )}
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
