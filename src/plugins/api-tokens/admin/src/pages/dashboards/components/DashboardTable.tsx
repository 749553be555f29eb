import { Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import type { Dashboard } from '../../../api/dashboards';
import { EditDeleteCell, TableHead } from '../../../components/TableParts';
import { getTranslation } from '../../../utils/getTranslation';
import { DateText } from '../../../components/DateText';

interface DashboardTableProps {
  dashboards: Dashboard[];
  canUpdate: boolean;
  canDelete: boolean;
  onDelete: (dashboard: Dashboard) => void;
}

const HEADERS = [
  { id: 'name', defaultMessage: 'Name' },
  { id: 'reports', defaultMessage: 'Reports' },
  { id: 'updatedAt', defaultMessage: 'Updated' },
];

export const DashboardTable = ({ dashboards, canUpdate, canDelete, onDelete }: DashboardTableProps) => {
  const { formatMessage, formatNumber } = useIntl();
  const navigate = useNavigate();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const hasActions = canUpdate || canDelete;

  return (
    <Table colCount={HEADERS.length + (hasActions ? 1 : 0)} rowCount={dashboards.length + 1}>
      <TableHead
        headers={HEADERS.map((header) => t(`dashboards.table.${header.id}`, header.defaultMessage))}
        actionsLabel={hasActions ? t('dashboards.table.actions', 'Actions') : undefined}
      />
      <Tbody>
        {dashboards.map((dashboard) => (
          <Tr
            key={dashboard.documentId}
            data-dashboard={dashboard.documentId}
            onClick={() => navigate(dashboard.documentId)}
            style={{ cursor: 'pointer' }}
          >
            <Td maxWidth="32rem">
              <Link
                tag={RouterLink}
                to={dashboard.documentId}
                onClick={(event: React.MouseEvent) => event.stopPropagation()}
              >
                {dashboard.name}
              </Link>
            </Td>
            <Td>
              <Typography textColor="neutral800" data-testid="dashboard-report-count">
                {formatNumber(dashboard.items.length)}
              </Typography>
            </Td>
            <Td>
              <DateText date={dashboard.updatedAt} />
            </Td>
            {hasActions ? (
              <EditDeleteCell
                editLabel={t('dashboards.table.edit', 'Edit {name}', { name: dashboard.name })}
                deleteLabel={t('dashboards.table.delete', 'Delete {name}', { name: dashboard.name })}
                onEdit={canUpdate ? () => navigate(`${dashboard.documentId}/edit`) : undefined}
                onDelete={canDelete ? () => onDelete(dashboard) : undefined}
              />
            ) : null}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
