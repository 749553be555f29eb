import * as React from 'react';
import { Box, Flex, IconButton, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ChevronLeft, ChevronRight, Cross } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { Link as RouterLink } from 'react-router-dom';
import { isFinished, type Pagination, type Run } from '../api/runs';
import { getTranslation } from '../utils/getTranslation';
import { useRunLabels } from '../utils/useRunLabels';
import { ABSOLUTE } from './DateText';
import { RunStatusBadge } from './RunStatusBadge';
import { RowActions, TableHead } from './TableParts';

/** A run's target as the table shows it: its name (or id), and the page it links to, if any. */
export interface RunTarget {
  name: string;
  to: string | null;
}

interface RunHistoryProps {
  runs: Run[];
  pagination: Pagination | null;
  onPageChange: (page: number) => void;
  /** Asks to cancel a queued or running run; without it the table has no actions column. */
  onCancel?: (run: Run) => void;
  /** With it, the table has a target column, its kind under it (the Runs page lists every kind). */
  targetOf?: (run: Run) => RunTarget;
  /** With it, the result shows how many recipients were sent and failed under the rows (a subscription's runs). */
  showDeliveries?: boolean;
  /** With it, clicking a row chooses it; the chosen one is marked. */
  onSelect?: (run: Run) => void;
  selectedRunId?: string | null;
  emptyMessage?: string;
}

const durationOf = (run: Run) =>
  run.startedAt && run.finishedAt ? new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime() : null;

/** Runs, newest first: status, trigger, times, rows, attempt and error, with paging and an optional cancel. */
export const RunHistory = ({
  runs,
  pagination,
  onPageChange,
  onCancel,
  targetOf,
  showDeliveries = false,
  onSelect,
  selectedRunId,
  emptyMessage,
}: RunHistoryProps) => {
  const { formatMessage, formatDate, formatNumber } = useIntl();
  const { triggerLabel, kindLabel } = useRunLabels();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const formatDuration = (ms: number | null) => {
    if (ms === null) return '—';
    if (ms < 1000) return t('runs.history.ms', '{value} ms', { value: ms });
    if (ms < 60_000)
      return t('runs.history.s', '{value} s', { value: formatNumber(ms / 1000, { maximumFractionDigits: 1 }) });
    return t('runs.history.min', '{value} min', { value: formatNumber(ms / 60_000, { maximumFractionDigits: 1 }) });
  };
  const deliveriesOf = (run: Run) => {
    if (run.stats?.skipped === 'empty') return t('runs.history.skippedEmpty', 'Skipped: no rows');
    if (run.stats?.sent === undefined && run.stats?.failed === undefined) return null;
    return t('runs.history.delivered', '{sent} sent · {failed} failed', {
      sent: formatNumber(run.stats?.sent ?? 0),
      failed: formatNumber(run.stats?.failed ?? 0),
    });
  };

  if (runs.length === 0) {
    return <Typography textColor="neutral600">{emptyMessage ?? t('runs.history.empty', 'No runs yet.')}</Typography>;
  }

  const headers = [
    ...(targetOf ? [t('runs.history.target', 'Target')] : []),
    t('runs.history.status', 'Status'),
    t('runs.history.trigger', 'Trigger'),
    t('runs.history.createdAt', 'Requested'),
    t('runs.history.duration', 'Duration'),
    showDeliveries ? t('runs.history.result', 'Result') : t('runs.history.rows', 'Rows'),
    t('runs.history.attempt', 'Attempt'),
    t('runs.history.error', 'Error'),
  ];
  const page = pagination?.page ?? 1;
  const pageCount = pagination?.pageCount ?? 1;

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Table colCount={headers.length + (onCancel ? 1 : 0)} rowCount={runs.length + 1}>
        <TableHead headers={headers} actionsLabel={onCancel ? t('runs.history.actions', 'Actions') : undefined} />
        <Tbody>
          {runs.map((run) => {
            const target = targetOf?.(run);
            const selected = run.id === selectedRunId;
            return (
              <Tr
                key={run.id}
                data-run={run.id}
                data-kind={run.kind}
                aria-selected={onSelect ? selected : undefined}
                onClick={onSelect ? () => onSelect(run) : undefined}
                background={selected ? 'primary100' : undefined}
                style={onSelect ? { cursor: 'pointer' } : undefined}
              >
                {target ? (
                  <Td maxWidth="24rem">
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      {target.to ? (
                        <Link
                          tag={RouterLink}
                          to={target.to}
                          onClick={(event: React.MouseEvent) => event.stopPropagation()}
                        >
                          {target.name}
                        </Link>
                      ) : (
                        <Typography textColor="neutral800" ellipsis>
                          {target.name}
                        </Typography>
                      )}
                      <Typography variant="pi" textColor="neutral600">
                        {kindLabel(run.kind)}
                      </Typography>
                    </Flex>
                  </Td>
                ) : null}
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
                  <Flex direction="column" alignItems="flex-start" gap={1}>
                    <Typography textColor="neutral800">
                      {run.stats?.rows !== undefined ? formatNumber(run.stats.rows) : '—'}
                    </Typography>
                    {showDeliveries && deliveriesOf(run) ? (
                      <Typography variant="pi" textColor="neutral600" data-testid="run-deliveries">
                        {deliveriesOf(run)}
                      </Typography>
                    ) : null}
                  </Flex>
                </Td>
                <Td>
                  <Typography textColor="neutral800">{run.attempt}</Typography>
                </Td>
                <Td maxWidth="32rem">
                  <Typography
                    textColor={run.error ? 'danger600' : 'neutral500'}
                    ellipsis
                    title={run.error ?? undefined}
                  >
                    {run.error ?? '—'}
                  </Typography>
                </Td>
                {onCancel ? (
                  <Td onClick={(event: React.MouseEvent) => event.stopPropagation()}>
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
            );
          })}
        </Tbody>
      </Table>
      {pageCount > 1 ? (
        <Flex justifyContent="flex-end" gap={2}>
          <Typography variant="pi" textColor="neutral600">
            {t('runs.history.page', 'Page {page} of {pageCount}', { page, pageCount })}
          </Typography>
          <Box>
            <IconButton
              variant="tertiary"
              label={t('runs.history.previous', 'Previous page')}
              disabled={page <= 1}
              onClick={() => onPageChange(page - 1)}
            >
              <ChevronLeft />
            </IconButton>
          </Box>
          <Box>
            <IconButton
              variant="tertiary"
              label={t('runs.history.next', 'Next page')}
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
