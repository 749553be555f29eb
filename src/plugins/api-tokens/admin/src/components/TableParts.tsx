import * as React from 'react';
import { Flex, IconButton, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';

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
