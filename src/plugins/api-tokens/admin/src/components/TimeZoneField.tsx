import * as React from 'react';
import { Combobox, ComboboxOption, Field } from '@strapi/design-system';

/** The browser's IANA zone, e.g. `Europe/Berlin`. */
export const browserTimeZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

const allTimeZones = (extra: string[]) => {
  let zones: string[] = [];
  try {
    zones = (Intl as any).supportedValuesOf('timeZone') as string[];
  } catch {
    zones = [];
  }
  return [...new Set([...zones, 'UTC', ...extra.filter(Boolean)])].sort();
};

interface TimeZoneFieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  /** An IANA zone, or empty for none. */
  value: string;
  noneMessage: string;
  onChange: (timezone: string) => void;
  /** With it, the field can be emptied (an optional zone). */
  onClear?: () => void;
  clearLabel?: string;
}

/** A labelled combobox of the IANA time zones, filtered as one types. */
export const TimeZoneField = ({
  name,
  label,
  hint,
  error,
  required,
  value,
  noneMessage,
  onChange,
  onClear,
  clearLabel,
}: TimeZoneFieldProps) => {
  const zones = React.useMemo(() => allTimeZones([value, browserTimeZone()]), [value]);
  // The combobox's text: the chosen zone, or what is being typed to filter the list.
  const [text, setText] = React.useState(value);
  React.useEffect(() => setText(value), [value]);

  return (
    <Field.Root name={name} required={required} error={error} hint={hint}>
      <Field.Label>{label}</Field.Label>
      <Combobox
        value={value || undefined}
        textValue={text}
        onTextValueChange={setText}
        onChange={(next?: string) => next && onChange(next)}
        onClear={onClear}
        clearLabel={clearLabel}
        autocomplete={{ type: 'list', filter: 'contains' }}
        noOptionsMessage={() => noneMessage}
      >
        {zones.map((zone) => (
          <ComboboxOption key={zone} value={zone}>
            {zone}
          </ComboboxOption>
        ))}
      </Combobox>
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
