import { Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import type { Subscription } from '../../../api/subscriptions';
import { DateText } from '../../../components/DateText';
import { RunStatusBadge } from '../../../components/RunStatusBadge';
import { ScheduleText } from '../../../components/ScheduleText';
import { EditDeleteCell, TableHead } from '../../../components/TableParts';
import { getTranslation } from '../../../utils/getTranslation';
import { useFormatLabel } from '../useFormatLabel';
import { EnabledBadge } from './EnabledBadge';

interface SubscriptionTableProps {
  subscriptions: Subscription[];
  canUpdate: boolean;
  canDelete: boolean;
  onDelete: (subscription: Subscription) => void;
}

const HEADERS = [
  { id: 'name', defaultMessage: 'Name' },
  { id: 'format', defaultMessage: 'Format' },
  { id: 'schedule', defaultMessage: 'Schedule' },
  { id: 'nextRun', defaultMessage: 'Next run' },
  { id: 'lastStatus', defaultMessage: 'Last run' },
  { id: 'enabled', defaultMessage: 'State' },
];

export const SubscriptionTable = ({ subscriptions, canUpdate, canDelete, onDelete }: SubscriptionTableProps) => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const formatLabel = useFormatLabel();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const hasActions = canUpdate || canDelete;
  const targetLabel = (subscription: Subscription) =>
    subscription.targetName === null
      ? t('subscriptions.target.deleted', 'Deleted {type}', { type: subscription.target.type })
      : subscription.target.type === 'dashboard'
        ? t('subscriptions.target.dashboardNamed', 'Dashboard “{name}”', { name: subscription.targetName })
        : t('subscriptions.target.reportNamed', 'Report “{name}”', { name: subscription.targetName });

  return (
    <Table
      colCount={HEADERS.length + (hasActions ? 1 : 0)}
      rowCount={subscriptions.length + 1}
      data-testid="subscriptions-table"
    >
      <TableHead
        headers={HEADERS.map((header) => t(`subscriptions.table.${header.id}`, header.defaultMessage))}
        actionsLabel={hasActions ? t('subscriptions.table.actions', 'Actions') : undefined}
      />
      <Tbody>
        {subscriptions.map((subscription) => (
          <Tr
            key={subscription.documentId}
            data-subscription={subscription.documentId}
            onClick={() => navigate(subscription.documentId)}
            style={{ cursor: 'pointer' }}
          >
            <Td maxWidth="28rem">
              <Flex direction="column" alignItems="flex-start" gap={1}>
                <Link
                  tag={RouterLink}
                  to={subscription.documentId}
                  onClick={(event: React.MouseEvent) => event.stopPropagation()}
                >
                  {subscription.name}
                </Link>
                <Typography variant="pi" textColor="neutral600" ellipsis>
                  {targetLabel(subscription)}
                </Typography>
              </Flex>
            </Td>
            <Td>
              <Typography textColor="neutral800">{formatLabel(subscription.format)}</Typography>
            </Td>
            <Td maxWidth="24rem">
              <ScheduleText
                schedule={subscription.schedule}
                noneLabel={t('subscriptions.schedule.none', 'Only when triggered')}
                nextAt={null}
                disabledReason={subscription.scheduleDisabledReason}
              />
            </Td>
            <Td>
              <DateText date={subscription.nextRunAt} emptyLabel="—" data-testid="next-run" />
            </Td>
            <Td>
              {subscription.lastRun ? (
                <RunStatusBadge status={subscription.lastRun.status} />
              ) : (
                <Typography textColor="neutral500">{t('subscriptions.lastRun.none', 'Never sent')}</Typography>
              )}
            </Td>
            <Td>
              <EnabledBadge enabled={subscription.enabled} />
            </Td>
            {hasActions ? (
              <EditDeleteCell
                editLabel={t('subscriptions.table.edit', 'Edit {name}', { name: subscription.name })}
                deleteLabel={t('subscriptions.table.delete', 'Delete {name}', { name: subscription.name })}
                onEdit={canUpdate ? () => navigate(`${subscription.documentId}/edit`) : undefined}
                onDelete={canDelete ? () => onDelete(subscription) : undefined}
              />
            ) : null}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
