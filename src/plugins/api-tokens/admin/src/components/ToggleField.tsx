import * as React from 'react';
import { Box, Field, Toggle } from '@strapi/design-system';

interface ToggleFieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  checked: boolean;
  onLabel: string;
  offLabel: string;
  onChange: (checked: boolean) => void;
}

/** A labelled on/off toggle with its hint and its error, no wider than a form column. */
export const ToggleField = ({ name, label, hint, error, checked, onLabel, offLabel, onChange }: ToggleFieldProps) => (
  <Box maxWidth="32rem">
    <Field.Root name={name} error={error} hint={hint}>
      <Field.Label>{label}</Field.Label>
      <Toggle
        onLabel={onLabel}
        offLabel={offLabel}
        checked={checked}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.checked)}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  </Box>
);
