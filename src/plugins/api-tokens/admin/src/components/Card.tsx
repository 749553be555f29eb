import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

interface CardProps {
  title: string;
  children: React.ReactNode;
  testId?: string;
}

/** A white card of a page (a model's definition, a report's chart…) with its title. */
export const Card = ({ title, children, testId }: CardProps) => (
  <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} data-testid={testId}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);
