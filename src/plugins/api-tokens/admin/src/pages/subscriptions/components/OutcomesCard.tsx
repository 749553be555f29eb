import { Flex, Loader, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Delivery } from '../../../api/subscriptions';
import { DateText } from '../../../components/DateText';
import { RunCard } from '../../../components/RunCard';
import { RunStatusBadge } from '../../../components/RunStatusBadge';
import { errorMessageOf } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';
import type { KnownRun } from '../useSubscriptionRuns';
import { DeliveryTable } from './DeliveryTable';

interface OutcomesCardProps {
  /** The chosen run, or null when the subscription was never sent. */
  run: KnownRun | null;
  isLive: boolean;
  deliveries: Delivery[] | undefined;
  error: unknown;
}

/** The chosen run's status and each recipient's outcome, refreshed while the run is active. */
export const OutcomesCard = ({ run, isLive, deliveries, error }: OutcomesCardProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  return (
    <RunCard
      title={t('subscriptions.outcomes.title', 'Recipients’ outcomes')}
      run={run}
      testId="outcomes"
      actions={
        run ? (
          <Flex gap={2}>
            {isLive ? <Loader small>{t('subscriptions.loading', 'Loading')}</Loader> : null}
            <RunStatusBadge status={run.status} />
            {run.createdAt ? (
              <DateText date={run.createdAt} mode="absolute" variant="pi" textColor="neutral600" />
            ) : null}
          </Flex>
        ) : null
      }
    >
      {run?.error ? (
        <Typography variant="pi" textColor="danger600" role="alert">
          {run.error}
        </Typography>
      ) : null}
      {run?.stats?.skipped === 'empty' ? (
        <Typography textColor="neutral600">
          {t('subscriptions.outcomes.skippedEmpty', 'Nothing was sent: the report had no rows.')}
        </Typography>
      ) : null}
      {!run ? (
        <Typography textColor="neutral600">
          {t('subscriptions.outcomes.none', 'Not sent yet. “Send now” sends it to every recipient.')}
        </Typography>
      ) : error ? (
        <Typography textColor="danger600">
          {errorMessageOf(error, t('subscriptions.outcomes.error', 'The outcomes could not be loaded'))}
        </Typography>
      ) : !deliveries ? (
        <Flex justifyContent="center" padding={4}>
          <Loader small>{t('subscriptions.loading', 'Loading')}</Loader>
        </Flex>
      ) : deliveries.length === 0 ? (
        <Typography textColor="neutral600">
          {isLive
            ? t('subscriptions.outcomes.pending', 'The run has not reached any recipient yet.')
            : t('subscriptions.outcomes.empty', 'This run reached no recipient.')}
        </Typography>
      ) : (
        <DeliveryTable deliveries={deliveries} />
      )}
    </RunCard>
  );
};
