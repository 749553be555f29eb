import * as React from 'react';
import { Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../../../utils/getTranslation';

/** A dashboard's 12-column grid of report tiles (ReportTile, each at its width), or a line saying it has none. */
export const DashboardGrid = ({ isEmpty, children }: { isEmpty: boolean; children: React.ReactNode }) => {
  const { formatMessage } = useIntl();
  if (isEmpty) {
    return (
      <Typography textColor="neutral600">
        {formatMessage({
          id: getTranslation('dashboards.grid.empty'),
          defaultMessage: 'This dashboard has no reports.',
        })}
      </Typography>
    );
  }
  return (
    <Grid.Root gap={4} gridCols={12} data-testid="dashboard-grid">
      {children}
    </Grid.Root>
  );
};
