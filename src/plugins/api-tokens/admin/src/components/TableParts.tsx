import * as React from 'react';
import { Flex, IconButton, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';
import { Pencil, Trash } from '@strapi/icons';

interface TableHeadProps {
  /** The column titles, already translated. */
  headers: string[];
  /** The hidden title of a trailing actions column, when the table has one. */
  actionsLabel?: string;
}

/** A table head in the admin's style: small-caps column titles and an optional, visually hidden actions column. */
export const TableHead = ({ headers, actionsLabel }: TableHeadProps) => (
  <Thead>
    <Tr>
      {headers.map((header) => (
        <Th key={header}>
          <Typography variant="sigma" textColor="neutral600">
            {header}
          </Typography>
        </Th>
      ))}
      {actionsLabel ? (
        <Th>
          <VisuallyHidden>{actionsLabel}</VisuallyHidden>
        </Th>
      ) : null}
    </Tr>
  </Thead>
);

export interface RowAction {
  /** The accessible name, e.g. "Delete Sales". */
  label: string;
  icon: React.ReactNode;
  onClick: () => void;
}

/** A row's icon buttons, right-aligned. */
export const RowActions = ({ actions }: { actions: RowAction[] }) => (
  <Flex justifyContent="flex-end" gap={1}>
    {actions.map((action) => (
      <IconButton key={action.label} variant="ghost" label={action.label} onClick={action.onClick}>
        {action.icon}
      </IconButton>
    ))}
  </Flex>
);

interface EditDeleteCellProps {
  /** The accessible names, e.g. "Edit Sales" and "Delete Sales". */
  editLabel: string;
  deleteLabel: string;
  /** Each button shows only where its handler is given (the reader may do it). */
  onEdit?: () => void;
  onDelete?: () => void;
}

/** A row's edit and delete buttons, in a cell whose clicks do not also open the row. */
export const EditDeleteCell = ({ editLabel, deleteLabel, onEdit, onDelete }: EditDeleteCellProps) => (
  <Td onClick={(event: React.MouseEvent) => event.stopPropagation()}>
    <RowActions
      actions={[
        ...(onEdit ? [{ label: editLabel, icon: <Pencil />, onClick: onEdit }] : []),
        ...(onDelete ? [{ label: deleteLabel, icon: <Trash />, onClick: onDelete }] : []),
      ]}
    />
  </Td>
);
