import { Box, Flex, IconButton, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ChevronLeft, ChevronRight, Cross } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { isFinished, type Pagination, type Run } from '../../../api/runs';
import { RowActions, TableHead } from '../../../components/TableParts';
import { getTranslation } from '../../../utils/getTranslation';
import { ABSOLUTE } from './DateText';
import { RunStatusBadge, useTriggerLabel } from './StatusBadges';

interface RunHistoryProps {
  runs: Run[];
  pagination: Pagination | null;
  onPageChange: (page: number) => void;
  /** Asks to cancel a queued or running run; without it the table has no actions column. */
  onCancel?: (run: Run) => void;
}

const HEADERS = [
  { id: 'status', defaultMessage: 'Status' },
  { id: 'trigger', defaultMessage: 'Trigger' },
  { id: 'createdAt', defaultMessage: 'Requested' },
  { id: 'duration', defaultMessage: 'Duration' },
  { id: 'rows', defaultMessage: 'Rows' },
  { id: 'attempt', defaultMessage: 'Attempt' },
  { id: 'error', defaultMessage: 'Error' },
];

const durationOf = (run: Run) =>
  run.startedAt && run.finishedAt ? new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime() : null;

export const RunHistory = ({ runs, pagination, onPageChange, onCancel }: RunHistoryProps) => {
  const { formatMessage, formatDate, formatNumber } = useIntl();
  const triggerLabel = useTriggerLabel();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const formatDuration = (ms: number | null) => {
    if (ms === null) return '—';
    if (ms < 1000) return t('models.history.ms', '{value} ms', { value: ms });
    if (ms < 60_000)
      return t('models.history.s', '{value} s', { value: formatNumber(ms / 1000, { maximumFractionDigits: 1 }) });
    return t('models.history.min', '{value} min', { value: formatNumber(ms / 60_000, { maximumFractionDigits: 1 }) });
  };

  if (runs.length === 0) {
    return <Typography textColor="neutral600">{t('models.history.empty', 'No runs yet.')}</Typography>;
  }

  const page = pagination?.page ?? 1;
  const pageCount = pagination?.pageCount ?? 1;

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Table colCount={HEADERS.length + (onCancel ? 1 : 0)} rowCount={runs.length + 1}>
        <TableHead
          headers={HEADERS.map((header) => t(`models.history.${header.id}`, header.defaultMessage))}
          actionsLabel={onCancel ? t('models.history.actions', 'Actions') : undefined}
        />
        <Tbody>
          {runs.map((run) => (
            <Tr key={run.id} data-run={run.id}>
              <Td>
                <RunStatusBadge status={run.status} />
              </Td>
              <Td>
                <Typography textColor="neutral800">{triggerLabel(run.trigger)}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">{formatDate(run.createdAt, ABSOLUTE)}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">{formatDuration(durationOf(run))}</Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">
                  {run.stats?.rows !== undefined ? formatNumber(run.stats.rows) : '—'}
                </Typography>
              </Td>
              <Td>
                <Typography textColor="neutral800">{run.attempt}</Typography>
              </Td>
              <Td maxWidth="32rem">
                <Typography textColor={run.error ? 'danger600' : 'neutral500'} ellipsis title={run.error ?? undefined}>
                  {run.error ?? '—'}
                </Typography>
              </Td>
              {onCancel ? (
                <Td>
                  {!isFinished(run) && !run.cancelRequestedAt ? (
                    <RowActions
                      actions={[
                        { label: t('runs.cancel', 'Cancel run'), icon: <Cross />, onClick: () => onCancel(run) },
                      ]}
                    />
                  ) : null}
                </Td>
              ) : null}
            </Tr>
          ))}
        </Tbody>
      </Table>
      {pageCount > 1 ? (
        <Flex justifyContent="flex-end" gap={2}>
          <Typography variant="pi" textColor="neutral600">
            {t('models.history.page', 'Page {page} of {pageCount}', { page, pageCount })}
          </Typography>
          <Box>
            <IconButton
              variant="tertiary"
              label={t('models.history.previous', 'Previous page')}
              disabled={page <= 1}
              onClick={() => onPageChange(page - 1)}
            >
              <ChevronLeft />
            </IconButton>
          </Box>
          <Box>
            <IconButton
              variant="tertiary"
              label={t('models.history.next', 'Next page')}
              disabled={page >= pageCount}
              onClick={() => onPageChange(page + 1)}
            >
              <ChevronRight />
            </IconButton>
          </Box>
        </Flex>
      ) : null}
    </Flex>
  );
};
