import * as React from 'react';
import { Alert, Link } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import { errorDetailsOf } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';

interface ColumnMissingAlertProps {
  /** A 400 `REPORT_COLUMN_MISSING` (`details.column`). */
  error: unknown;
  /** Where to edit the report, for a reader who may. */
  editTo?: string;
}

/** A report whose saved query names a column its model no longer has: it shows no data until it is edited. */
export const ColumnMissingAlert = ({ error, editTo }: ColumnMissingAlertProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const [dismissed, setDismissed] = React.useState(false);
  React.useEffect(() => setDismissed(false), [error]);
  if (dismissed) return null;
  const column = String(errorDetailsOf(error).column ?? '');

  return (
    <Alert
      variant="danger"
      data-testid="column-missing"
      title={t('reports.columnMissing.title', 'This report needs editing')}
      closeLabel={t('reports.close', 'Close')}
      onClose={() => setDismissed(true)}
      action={
        editTo ? (
          <Link tag={RouterLink} to={editTo}>
            {t('reports.columnMissing.edit', 'Edit the report')}
          </Link>
        ) : undefined
      }
    >
      {t(
        'reports.columnMissing.body',
        'Its model no longer has the column “{column}”. Remove or replace it in the report’s query, chart and inputs.',
        { column }
      )}
    </Alert>
  );
};
