import { Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import type { Report } from '../../../api/reports';
import { EditDeleteCell, TableHead } from '../../../components/TableParts';
import { getTranslation } from '../../../utils/getTranslation';
import { DateText } from '../../../components/DateText';
import { useChartTypeLabel } from '../useChartTypeLabel';

interface ReportTableProps {
  reports: Report[];
  /** Model names by documentId; a model the reader may not list shows its id. */
  modelNames: Map<string, string>;
  canUpdate: boolean;
  canDelete: boolean;
  onDelete: (report: Report) => void;
}

const HEADERS = [
  { id: 'name', defaultMessage: 'Name' },
  { id: 'model', defaultMessage: 'Model' },
  { id: 'chart', defaultMessage: 'Chart' },
  { id: 'updatedAt', defaultMessage: 'Updated' },
];

export const ReportTable = ({ reports, modelNames, canUpdate, canDelete, onDelete }: ReportTableProps) => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const chartTypeLabel = useChartTypeLabel();
  const hasActions = canUpdate || canDelete;
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  return (
    <Table colCount={HEADERS.length + (hasActions ? 1 : 0)} rowCount={reports.length + 1} data-testid="reports-table">
      <TableHead
        headers={HEADERS.map((header) => t(`reports.table.${header.id}`, header.defaultMessage))}
        actionsLabel={hasActions ? t('reports.table.actions', 'Actions') : undefined}
      />
      <Tbody>
        {reports.map((report) => (
          <Tr
            key={report.documentId}
            data-report={report.documentId}
            onClick={() => navigate(report.documentId)}
            style={{ cursor: 'pointer' }}
          >
            <Td maxWidth="28rem">
              <Link
                tag={RouterLink}
                to={report.documentId}
                onClick={(event: React.MouseEvent) => event.stopPropagation()}
              >
                {report.name}
              </Link>
            </Td>
            <Td>
              <Typography textColor="neutral800">
                {modelNames.get(report.semanticModel) ?? report.semanticModel}
              </Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{chartTypeLabel(report.chart.type)}</Typography>
            </Td>
            <Td>
              <DateText date={report.updatedAt} />
            </Td>
            {hasActions ? (
              <EditDeleteCell
                editLabel={t('reports.table.edit', 'Edit {name}', { name: report.name })}
                deleteLabel={t('reports.table.delete', 'Delete {name}', { name: report.name })}
                onEdit={canUpdate ? () => navigate(`${report.documentId}/edit`) : undefined}
                onDelete={canDelete ? () => onDelete(report) : undefined}
              />
            ) : null}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
