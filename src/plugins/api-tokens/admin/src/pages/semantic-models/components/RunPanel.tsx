import { Button, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { isFinished, type Run } from '../../../api/runs';
import { DetailItem } from '../../../components/DetailItem';
import { getTranslation } from '../../../utils/getTranslation';
import { DateText } from '../../../components/DateText';
import { RunCard } from '../../../components/RunCard';
import { RunStatusBadge } from '../../../components/RunStatusBadge';
import { useRunLabels } from '../../../utils/useRunLabels';

interface RunPanelProps {
  /** The followed run, or the latest one; null when the model never ran. */
  run: Run | null;
  /** True while `run` is being polled. */
  isLive: boolean;
  /** Asks to cancel the run; the button shows only while it is queued or running and this is given. */
  onCancel?: (run: Run) => void;
}

/** The status of the current (or last) refresh run, polled every second while it is live. */
export const RunPanel = ({ run, isLive, onCancel }: RunPanelProps) => {
  const { formatMessage, formatNumber } = useIntl();
  const { triggerLabel } = useRunLabels();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const live = Boolean(run && isLive && !isFinished(run));

  return (
    <RunCard
      title={live ? t('models.run.live', 'Refresh in progress') : t('models.run.title', 'Refresh status')}
      label={t('models.run.title', 'Refresh status')}
      run={run}
      testId="run-panel"
      height="100%"
      actions={
        <Flex gap={2}>
          {live ? <Loader small>{t('models.loading', 'Loading')}</Loader> : null}
          {run && onCancel && !isFinished(run) ? (
            <Button
              variant="danger-light"
              size="S"
              startIcon={<Cross />}
              disabled={Boolean(run.cancelRequestedAt)}
              onClick={() => onCancel(run)}
            >
              {run.cancelRequestedAt ? t('runs.cancel.requested', 'Cancelling…') : t('runs.cancel', 'Cancel run')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      {run ? (
        <>
          <Grid.Root gap={4}>
            <DetailItem col={4} s={6} label={t('models.run.status', 'Status')}>
              <RunStatusBadge status={run.status} />
            </DetailItem>
            <DetailItem col={4} s={6} label={t('models.run.trigger', 'Trigger')}>
              <Typography textColor="neutral800">{triggerLabel(run.trigger)}</Typography>
            </DetailItem>
            <DetailItem col={4} s={6} label={t('models.run.rows', 'Rows done')}>
              <Typography textColor="neutral800" fontWeight="bold" data-testid="run-rows">
                {t('models.run.rowsDone', '{rows} rows', { rows: formatNumber(run.stats?.rows ?? 0) })}
              </Typography>
            </DetailItem>
            <DetailItem col={4} s={6} label={t('models.run.started', 'Started')}>
              <DateText date={run.startedAt} mode="absolute" emptyLabel={t('models.run.notStarted', 'Not yet')} />
            </DetailItem>
            <DetailItem col={4} s={6} label={t('models.run.finished', 'Finished')}>
              <DateText date={run.finishedAt} mode="absolute" emptyLabel={t('models.run.notFinished', 'Not yet')} />
            </DetailItem>
            <DetailItem col={4} s={6} label={t('models.run.attempt', 'Attempt')}>
              <Typography textColor="neutral800">{run.attempt}</Typography>
            </DetailItem>
          </Grid.Root>
          {run.error ? (
            <Typography variant="pi" textColor="danger600" role="alert">
              {run.error}
            </Typography>
          ) : null}
        </>
      ) : (
        <Typography textColor="neutral600">
          {t('models.run.none', 'No refresh has run yet. Click “Refresh now” to build the first snapshot.')}
        </Typography>
      )}
    </RunCard>
  );
};
