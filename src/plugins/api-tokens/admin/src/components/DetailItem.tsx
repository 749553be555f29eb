import * as React from 'react';
import { Flex, Grid, Typography } from '@strapi/design-system';

interface DetailItemProps {
  label: string;
  /** Columns of the 12-column grid it spans, and on small screens. */
  col: number;
  s?: number;
  children: React.ReactNode;
}

/** One labelled value in a grid of details (a model's definition, a subscription's details, a run's status…). */
export const DetailItem = ({ label, col, s, children }: DetailItemProps) => (
  <Grid.Item col={col} s={s} direction="column" alignItems="stretch">
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      {children}
    </Flex>
  </Grid.Item>
);
