import { Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Pagination } from '../api/runs';
import type { ResultColumn } from '../../../server/src/shared/types';
import { PageLinks } from './PageLinks';

/** At most this many decimals for a float column. */
const MAX_DECIMALS = 6;
const NUMERIC = new Set(['integer', 'biginteger', 'float']);
const numericStyle = { fontVariantNumeric: 'tabular-nums' } as const;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** The decimals a float column shows: the most any of its shown values has (capped), so the points line up. */
const decimalsOf = (values: unknown[]) =>
  Math.min(
    MAX_DECIMALS,
    Math.max(0, ...values.filter((value) => !isEmpty(value)).map((value) => String(value).split('.')[1]?.length ?? 0))
  );

interface ResultTableProps {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
  /** With `onPageChange`, page links under the table when there is more than one page. */
  pagination?: Pagination | null;
  onPageChange?: (page: number) => void;
  testId?: string;
}

/**
 * A query result (a report's data, a model's preview): raw column names, numbers right-aligned with even decimals,
 * dates in the reader's locale, and a dash for an empty cell.
 */
export const ResultTable = ({ columns, rows, pagination, onPageChange, testId = 'result-table' }: ResultTableProps) => {
  const { formatNumber, formatDate } = useIntl();
  const decimals = new Map(
    columns
      .filter((column) => column.type === 'float')
      .map((column) => [column.name, decimalsOf(rows.map((row) => row[column.name]))])
  );

  const format = (column: ResultColumn, value: unknown): string => {
    switch (column.type) {
      case 'integer':
      case 'biginteger':
        // A biginteger (or a PostgreSQL count) may arrive as a string; BigInt keeps every digit.
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
      case 'date': {
        // A calendar day (a date column or a date bucket) has no zone: show it as it is, whatever the reader's.
        if (typeof value !== 'string' || !DATE_ONLY.test(value)) return String(value);
        return formatDate(new Date(`${value}T00:00:00Z`), { dateStyle: 'medium', timeZone: 'UTC' });
      }
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
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Table colCount={columns.length} rowCount={rows.length + 1} data-testid={testId}>
        <Thead>
          <Tr>
            {columns.map((column) => (
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
          {rows.map((row, index) => (
            <Tr key={index}>
              {columns.map((column) => {
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
      {pagination && onPageChange && pagination.pageCount > 1 ? (
        <Flex justifyContent="flex-end">
          <PageLinks page={pagination.page} pageCount={pagination.pageCount} onPageChange={onPageChange} />
        </Flex>
      ) : null}
    </Flex>
  );
};
