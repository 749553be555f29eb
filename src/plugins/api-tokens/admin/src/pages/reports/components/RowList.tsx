import * as React from 'react';
import { Box, Flex, IconButton, TextButton, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';

interface RowListProps<Row extends { key: string }> {
  rows: Row[];
  /** Each row's test id is `${testId}-${index}`. */
  testId: string;
  addLabel: string;
  /** The remove button's accessible name for a row, e.g. "Remove filter 2". */
  removeLabel: (index: number) => string;
  onAdd: () => void;
  onRemove: (row: Row, index: number) => void;
  /** The row's fields. */
  renderRow: (row: Row, index: number) => React.ReactNode;
  /** An error about a whole row (e.g. an unknown key in it). */
  rowError?: (index: number) => string | undefined;
  /** An error about the whole list. */
  error?: string;
  disabled?: boolean;
}

/** The editor's repeatable rows (group-by, aggregates, filters, sort, inputs): each with a remove button, then "Add". */
export const RowList = <Row extends { key: string }>({
  rows,
  testId,
  addLabel,
  removeLabel,
  onAdd,
  onRemove,
  renderRow,
  rowError,
  error,
  disabled,
}: RowListProps<Row>) => (
  <Flex direction="column" alignItems="stretch" gap={3}>
    {rows.map((row, index) => (
      <Box
        key={row.key}
        data-testid={`${testId}-${index}`}
        background="neutral100"
        borderColor="neutral200"
        hasRadius
        padding={4}
      >
        <Flex alignItems="flex-start" gap={3}>
          <Box flex="1" minWidth={0}>
            {renderRow(row, index)}
          </Box>
          <Box paddingTop={6}>
            <IconButton variant="ghost" label={removeLabel(index)} onClick={() => onRemove(row, index)}>
              <Trash />
            </IconButton>
          </Box>
        </Flex>
        {rowError?.(index) ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {rowError(index)}
          </Typography>
        ) : null}
      </Box>
    ))}
    {error ? (
      <Typography variant="pi" textColor="danger600" role="alert">
        {error}
      </Typography>
    ) : null}
    <Box>
      <TextButton startIcon={<Plus />} onClick={onAdd} disabled={disabled} type="button">
        {addLabel}
      </TextButton>
    </Box>
  </Flex>
);

/** What each row-list section of the editor takes. */
export interface RowsFieldProps<Row> {
  rows: Row[];
  /** The error under a field key, e.g. `query.filters.1.values`. */
  errorOf: (key: string) => string | undefined;
  /** The new rows; `edited` is the key of the field (or, for a removed row, the list) whose errors the edit clears. */
  onChange: (rows: Row[], edited: string) => void;
}
