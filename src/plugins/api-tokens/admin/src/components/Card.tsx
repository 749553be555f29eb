import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

interface CardProps extends React.AriaAttributes {
  title: string;
  children: React.ReactNode;
  /** At the right of the title, e.g. a status badge or a button. */
  actions?: React.ReactNode;
  testId?: string;
  height?: string;
  role?: string;
  [data: `data-${string}`]: string | undefined;
}

/** A white card of a page (a model's definition, a report's chart…) with its title. */
export const Card = ({ title, children, actions, testId, ...attributes }: CardProps) => {
  const heading = (
    <Typography variant="delta" tag="h2">
      {title}
    </Typography>
  );
  return (
    <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} data-testid={testId} {...attributes}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        {actions === undefined ? (
          heading
        ) : (
          <Flex justifyContent="space-between" gap={2} wrap="wrap">
            {heading}
            {actions}
          </Flex>
        )}
        {children}
      </Flex>
    </Box>
  );
};
