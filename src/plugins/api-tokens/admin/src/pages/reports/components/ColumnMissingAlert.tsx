import * as React from 'react';
import { Alert, Link } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import { getTranslation } from '../../../utils/getTranslation';

interface ColumnMissingAlertProps {
  /** The columns the report names that its model no longer has (`details.column` of a 400 `REPORT_COLUMN_MISSING`). */
  columns: string[];
  /** Where to edit the report, for a reader who may. */
  editTo?: string;
}

/** A report whose saved query names a column its model no longer has: it shows no data until it is edited. */
export const ColumnMissingAlert = ({ columns, editTo }: ColumnMissingAlertProps) => {
  const { formatMessage, formatList } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const [dismissed, setDismissed] = React.useState(false);
  const key = columns.join(',');
  React.useEffect(() => setDismissed(false), [key]);
  if (dismissed) return null;

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
        'Its model no longer has {count, plural, one {the column} other {the columns}} {columns}. Remove or replace {count, plural, one {it} other {them}} in the report’s query, chart and inputs.',
        {
          count: columns.length,
          columns: formatList(
            columns.map((column) => `“${column}”`),
            { type: 'conjunction' }
          ),
        }
      )}
    </Alert>
  );
};
