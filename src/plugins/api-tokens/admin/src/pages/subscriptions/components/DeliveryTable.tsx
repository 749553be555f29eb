import { Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Delivery } from '../../../api/subscriptions';
import { ABSOLUTE } from '../../../components/DateText';
import { TableHead } from '../../../components/TableParts';
import { getTranslation } from '../../../utils/getTranslation';
import { DeliveryStatusBadge } from './DeliveryStatusBadge';

const HEADERS = [
  { id: 'email', defaultMessage: 'Recipient' },
  { id: 'status', defaultMessage: 'Status' },
  { id: 'attempts', defaultMessage: 'Attempts' },
  { id: 'response', defaultMessage: 'Response or error' },
  { id: 'updatedAt', defaultMessage: 'Time' },
];

/** Each recipient's outcome of a run: the address, sent/failed/skipped, the attempts, the server's answer. */
export const DeliveryTable = ({ deliveries }: { deliveries: Delivery[] }) => {
  const { formatMessage, formatDate } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  return (
    <Table colCount={HEADERS.length} rowCount={deliveries.length + 1} data-testid="deliveries-table">
      <TableHead headers={HEADERS.map((header) => t(`deliveries.table.${header.id}`, header.defaultMessage))} />
      <Tbody>
        {deliveries.map((delivery) => (
          <Tr key={delivery.id} data-delivery={delivery.email} data-status={delivery.status}>
            <Td>
              <Typography textColor="neutral800">{delivery.email}</Typography>
            </Td>
            <Td>
              <DeliveryStatusBadge status={delivery.status} />
            </Td>
            <Td>
              <Typography textColor="neutral800">{delivery.attempts}</Typography>
            </Td>
            <Td maxWidth="36rem">
              <Typography
                textColor={delivery.error ? 'danger600' : 'neutral800'}
                ellipsis
                title={delivery.error ?? delivery.response ?? undefined}
              >
                {delivery.error ?? delivery.response ?? '—'}
              </Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{formatDate(delivery.updatedAt, ABSOLUTE)}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
