import { Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import type { ModelSources, SemanticModel } from '../../../api/semantic-models';
import { EditDeleteCell, TableHead } from '../../../components/TableParts';
import { getTranslation } from '../../../utils/getTranslation';
import { DateText } from '../../../components/DateText';
import { RefreshModeText } from './RefreshModeText';
import { ModelStatusBadge } from './ModelStatusBadge';

interface ModelTableProps {
  models: SemanticModel[];
  contentTypes: ModelSources['contentTypes'];
  canUpdate: boolean;
  canDelete: boolean;
  onDelete: (model: SemanticModel) => void;
}

const HEADERS = [
  { id: 'name', defaultMessage: 'Name' },
  { id: 'status', defaultMessage: 'Status' },
  { id: 'rowCount', defaultMessage: 'Rows' },
  { id: 'lastRefreshedAt', defaultMessage: 'Last refresh' },
  { id: 'refresh', defaultMessage: 'Refresh mode' },
];

export const ModelTable = ({ models, contentTypes, canUpdate, canDelete, onDelete }: ModelTableProps) => {
  const { formatMessage, formatNumber } = useIntl();
  const navigate = useNavigate();
  const hasActions = canUpdate || canDelete;
  const sourceName = (model: SemanticModel) => {
    const uid = (model.source as { uid?: string }).uid;
    return contentTypes.find((contentType) => contentType.uid === uid)?.displayName ?? uid ?? model.source.type;
  };

  return (
    <Table colCount={HEADERS.length + (hasActions ? 1 : 0)} rowCount={models.length + 1}>
      <TableHead
        headers={HEADERS.map((header) =>
          formatMessage({ id: getTranslation(`models.table.${header.id}`), defaultMessage: header.defaultMessage })
        )}
        actionsLabel={
          hasActions
            ? formatMessage({ id: getTranslation('models.table.actions'), defaultMessage: 'Actions' })
            : undefined
        }
      />
      <Tbody>
        {models.map((model) => (
          <Tr
            key={model.documentId}
            data-model={model.documentId}
            onClick={() => navigate(model.documentId)}
            style={{ cursor: 'pointer' }}
          >
            <Td maxWidth="28rem">
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Link
                  tag={RouterLink}
                  to={model.documentId}
                  onClick={(event: React.MouseEvent) => event.stopPropagation()}
                >
                  {model.name}
                </Link>
                <Typography variant="pi" textColor="neutral600" ellipsis>
                  {sourceName(model)}
                </Typography>
              </Flex>
            </Td>
            <Td>
              <ModelStatusBadge status={model.status} />
            </Td>
            <Td>
              <Typography textColor="neutral800" data-testid="model-row-count">
                {formatNumber(model.rowCount)}
              </Typography>
            </Td>
            <Td>
              <DateText date={model.lastRefreshedAt} />
            </Td>
            <Td>
              <RefreshModeText model={model} />
            </Td>
            {hasActions ? (
              <EditDeleteCell
                editLabel={formatMessage(
                  { id: getTranslation('models.table.edit'), defaultMessage: 'Edit {name}' },
                  { name: model.name }
                )}
                deleteLabel={formatMessage(
                  { id: getTranslation('models.table.delete'), defaultMessage: 'Delete {name}' },
                  { name: model.name }
                )}
                onEdit={canUpdate ? () => navigate(`${model.documentId}/edit`) : undefined}
                onDelete={canDelete ? () => onDelete(model) : undefined}
              />
            ) : null}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
