import * as React from 'react';
import { Box, Flex, IconButton, TextButton, Typography } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { removeRow } from '../utils/rows';

/** What each row-list section of the editor takes. */
export interface RowsFieldProps<Row> {
  rows: Row[];
  /** The error under a field key, e.g. `query.filters.1.values`. */
  errorOf: (key: string) => string | undefined;
  /** The new rows; `edited` is the key of the field (or, for an added or removed row, the list) the edit clears. */
  onChange: (rows: Row[], edited: string) => void;
}

interface RowListProps<Row extends { key: string }> extends RowsFieldProps<Row> {
  /** The list's path in the body, e.g. `query.filters`: its rows' errors are under `${list}.${index}`. */
  list: string;
  /** Each row's test id is `${testId}-${index}`. */
  testId: string;
  addLabel: string;
  /** The remove button's accessible name for a row, e.g. "Remove filter 2". */
  removeLabel: (index: number) => string;
  /** The row "Add" appends. */
  newRow: () => Row;
  /** The row's fields, given its field key prefix (`${list}.${index}`). */
  renderRow: (row: Row, key: string, index: number) => React.ReactNode;
}

/** An editor's repeatable rows (a report's filters, a subscription's recipients…): each with a remove button, then "Add". */
export const RowList = <Row extends { key: string }>({
  rows,
  errorOf,
  onChange,
  list,
  testId,
  addLabel,
  removeLabel,
  newRow,
  renderRow,
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
            {renderRow(row, `${list}.${index}`, index)}
          </Box>
          <Box paddingTop={6}>
            <IconButton
              variant="ghost"
              label={removeLabel(index)}
              onClick={() => onChange(removeRow(rows, row.key), list)}
            >
              <Trash />
            </IconButton>
          </Box>
        </Flex>
        {/* An error about the whole row, e.g. an unknown key in it. */}
        {errorOf(`${list}.${index}`) ? (
          <Typography variant="pi" textColor="danger600" role="alert">
            {errorOf(`${list}.${index}`)}
          </Typography>
        ) : null}
      </Box>
    ))}
    {errorOf(list) ? (
      <Typography variant="pi" textColor="danger600" role="alert">
        {errorOf(list)}
      </Typography>
    ) : null}
    <Box>
      <TextButton startIcon={<Plus />} onClick={() => onChange([...rows, newRow()], list)}>
        {addLabel}
      </TextButton>
    </Box>
  </Flex>
);
