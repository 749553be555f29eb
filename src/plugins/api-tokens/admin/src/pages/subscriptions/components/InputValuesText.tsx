import { Typography } from '@strapi/design-system';

/** Input values in words, e.g. "region = North · channel = online, retail"; `emptyLabel` when there are none. */
export const InputValuesText = ({
  values,
  emptyLabel,
}: {
  values: Record<string, string | string[]> | undefined;
  emptyLabel: string;
}) => {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return <Typography textColor="neutral500">{emptyLabel}</Typography>;
  return (
    <Typography textColor="neutral800">
      {entries
        .map(([name, value]) => `${name} = ${Array.isArray(value) ? value.join(', ') || '∅' : value || '∅'}`)
        .join(' · ')}
    </Typography>
  );
};
