import * as React from 'react';
import { Flex, Typography } from '@strapi/design-system';

/** A label over a read-only value, e.g. a token's status or expiry. */
export const InfoItem = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Flex direction="column" alignItems="flex-start" gap={1}>
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Flex direction="column" alignItems="flex-start" gap={1}>
      {children}
    </Flex>
  </Flex>
);
