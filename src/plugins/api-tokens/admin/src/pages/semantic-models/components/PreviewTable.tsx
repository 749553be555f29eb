import { Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Column, ModelPreview } from '../../../api/semantic-models';

/** At most this many decimals for a float column. */
const MAX_DECIMALS = 6;
const NUMERIC = new Set(['integer', 'biginteger', 'float']);
const numericStyle = { fontVariantNumeric: 'tabular-nums' } as const;

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** The decimals a float column shows: the most any of its shown values has (capped), so the points line up. */
const decimalsOf = (values: unknown[]) =>
  Math.min(
    MAX_DECIMALS,
    Math.max(0, ...values.filter((value) => !isEmpty(value)).map((value) => String(value).split('.')[1]?.length ?? 0))
  );

/** The first rows of the model's snapshot: raw column names, numbers right-aligned with even decimals. */
export const PreviewTable = ({ preview }: { preview: ModelPreview }) => {
  const { formatNumber, formatDate } = useIntl();
  const decimals = new Map(
    preview.columns
      .filter((column) => column.type === 'float')
      .map((column) => [column.name, decimalsOf(preview.rows.map((row) => row[column.name]))])
  );

  const format = (column: Column, value: unknown): string => {
    switch (column.type) {
      case 'integer':
      case 'biginteger':
        // A biginteger may arrive as a string; BigInt keeps every digit.
        if (typeof value === 'string' && /^-?\d+$/.test(value)) return formatNumber(BigInt(value));
        return Number.isFinite(Number(value)) ? formatNumber(Number(value)) : String(value);
      case 'float': {
        const digits = decimals.get(column.name) ?? 2;
        return Number.isFinite(Number(value))
          ? formatNumber(Number(value), { minimumFractionDigits: digits, maximumFractionDigits: digits })
          : String(value);
      }
      case 'boolean':
        return value === true || value === 1 || value === '1' || value === 'true' ? 'true' : 'false';
      case 'datetime': {
        const date = new Date(value as string | number);
        return Number.isNaN(date.getTime())
          ? String(value)
          : formatDate(date, { dateStyle: 'medium', timeStyle: 'medium' });
      }
      default:
        return String(value);
    }
  };

  return (
    <Table colCount={preview.columns.length} rowCount={preview.rows.length + 1} data-testid="preview-table">
      <Thead>
        <Tr>
          {preview.columns.map((column) => (
            <Th key={column.name}>
              <Flex justifyContent={NUMERIC.has(column.type) ? 'flex-end' : 'flex-start'} width="100%">
                <Typography variant="pi" fontWeight="bold" textColor="neutral800" data-column={column.name}>
                  {column.name}
                </Typography>
              </Flex>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {preview.rows.map((row, index) => (
          <Tr key={index}>
            {preview.columns.map((column) => {
              const value = row[column.name];
              const numeric = NUMERIC.has(column.type);
              return (
                <Td key={column.name} style={numeric ? { textAlign: 'right' } : undefined}>
                  {isEmpty(value) ? (
                    <Typography textColor="neutral500">—</Typography>
                  ) : (
                    <Typography
                      textColor="neutral800"
                      ellipsis={!numeric}
                      style={numeric ? numericStyle : undefined}
                      data-numeric={numeric || undefined}
                    >
                      {format(column, value)}
                    </Typography>
                  )}
                </Td>
              );
            })}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
