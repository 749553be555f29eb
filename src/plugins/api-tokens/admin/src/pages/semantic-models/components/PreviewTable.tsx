import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Column, ModelPreview } from '../../../api/semantic-models';
import { Monospace } from '../../tokens/components/Monospace';

/** The first rows of the model's snapshot. */
export const PreviewTable = ({ preview }: { preview: ModelPreview }) => {
  const { formatNumber, formatDate } = useIntl();

  const cell = (column: Column, value: unknown) => {
    if (value === null || value === undefined || value === '') return { text: '—', muted: true };
    switch (column.type) {
      case 'integer':
      case 'float':
        return { text: Number.isFinite(Number(value)) ? formatNumber(Number(value)) : String(value), numeric: true };
      case 'boolean':
        return { text: value === true || value === 1 || value === '1' || value === 'true' ? 'true' : 'false' };
      case 'datetime': {
        const date = new Date(value as string | number);
        return {
          text: Number.isNaN(date.getTime())
            ? String(value)
            : formatDate(date, { dateStyle: 'medium', timeStyle: 'short' }),
        };
      }
      default:
        return { text: String(value) };
    }
  };

  return (
    <Table colCount={preview.columns.length} rowCount={preview.rows.length + 1} data-testid="preview-table">
      <Thead>
        <Tr>
          {preview.columns.map((column) => (
            <Th key={column.name}>
              <Typography variant="sigma" textColor="neutral600">
                {column.name}
              </Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {preview.rows.map((row, index) => (
          <Tr key={index}>
            {preview.columns.map((column) => {
              const { text, muted, numeric } = cell(column, row[column.name]) as {
                text: string;
                muted?: boolean;
                numeric?: boolean;
              };
              return (
                <Td key={column.name}>
                  {numeric ? (
                    <Monospace variant="omega" textColor="neutral800">
                      {text}
                    </Monospace>
                  ) : (
                    <Typography textColor={muted ? 'neutral500' : 'neutral800'} ellipsis>
                      {text}
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
