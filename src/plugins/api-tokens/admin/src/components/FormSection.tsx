import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

interface FormSectionProps {
  title: string;
  /** A line under the title. */
  hint?: React.ReactNode;
  /** The title's element id, for controls labelled by it. */
  titleId?: string;
  /** Marks the section as a group labelled by its title (for a set of checkboxes). Needs `titleId`. */
  group?: boolean;
  children: React.ReactNode;
}

/** A white card of a form page with its title (and hint) above its fields. */
export const FormSection = ({ title, hint, titleId, group = false, children }: FormSectionProps) => (
  <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
    <Flex
      direction="column"
      alignItems="stretch"
      gap={4}
      {...(group ? { role: 'group', 'aria-labelledby': titleId } : {})}
    >
      <Flex direction="column" alignItems="stretch" gap={1}>
        <Typography variant="delta" tag="h2" id={titleId}>
          {title}
        </Typography>
        {hint ? (
          <Typography variant="pi" textColor="neutral600">
            {hint}
          </Typography>
        ) : null}
      </Flex>
      {children}
    </Flex>
  </Box>
);
