import * as React from 'react';
import { Button, Flex } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import { Layouts, Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { useNavigate, useParams } from 'react-router-dom';
import { activeRunIdOf, isFinished } from '../../api/runs';
import { subscriptionKeys, useSubscriptionsApi } from '../../api/subscriptions';
import { CancelRunDialog } from '../../components/CancelRunDialog';
import { Card } from '../../components/Card';
import { RunHistory } from '../../components/RunHistory';
import { ALL_RUN_PERMISSIONS, ALL_SUBSCRIPTION_PERMISSIONS } from '../../permissions';
import { errorCodeOf, errorMessageOf, isAbort, statusOf } from '../../utils/errors';
import { DocumentHeader } from '../../components/DocumentHeader';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useCancelRun } from '../../utils/useCancelRun';
import { DeleteSubscriptionDialog } from './components/DeleteSubscriptionDialog';
import { EnabledBadge } from './components/EnabledBadge';
import { OutcomesCard } from './components/OutcomesCard';
import { SubscriptionDetails } from './components/SubscriptionDetails';
import { useDeleteSubscription } from './useDeleteSubscription';
import { POLL_MS, useSubscriptionRuns } from './useSubscriptionRuns';

/** One subscription: its details, "Send now", its run history and the chosen run's per-recipient outcomes. */
export const SubscriptionPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const api = useSubscriptionsApi();
  const {
    isLoading: isLoadingPermissions,
    allowedActions: { canUpdate, canDelete, canSend },
  } = useRBAC(ALL_SUBSCRIPTION_PERMISSIONS);
  const {
    isLoading: isLoadingRunPermissions,
    allowedActions: { canRead: canReadRuns, canCancel: canCancelRuns },
  } = useRBAC(ALL_RUN_PERMISSIONS);
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const [isSending, setIsSending] = React.useState(false);
  const { deleting, setDeleting, confirmDelete } = useDeleteSubscription(() => navigate('..', { replace: true }));
  const { cancelling, setCancelling, confirmCancel } = useCancelRun();

  const subscription = useQuery(subscriptionKeys.detail(documentId), () => api.getSubscription(documentId), {
    retry: retryUnlessClientError,
    // Without runs.read, the subscription's last run tells when a send is over.
    refetchInterval: (data) => (!canReadRuns && data?.lastRun && !isFinished(data.lastRun) ? POLL_MS : false),
  });
  const runs = useSubscriptionRuns(documentId, subscription.data, !isLoadingRunPermissions && canReadRuns);

  const handleSend = async () => {
    setIsSending(true);
    try {
      const run = await api.sendSubscription(documentId);
      runs.follow(run.id);
      toggleNotification({ type: 'info', message: t('subscriptions.send.queued', 'Sending: the run is queued.') });
    } catch (error) {
      const runId = activeRunIdOf(error);
      if (runId) {
        runs.follow(runId);
        toggleNotification({
          type: 'info',
          message: t('subscriptions.send.alreadyActive', 'A run is already in progress; showing it.'),
        });
      } else if (errorCodeOf(error) === 'SUBSCRIPTION_DISABLED') {
        toggleNotification({
          type: 'warning',
          message: t('subscriptions.send.disabled', 'This subscription is disabled: enable it to send it.'),
        });
      } else if (!isAbort(error)) {
        toggleNotification({
          type: 'danger',
          message: errorMessageOf(error, t('subscriptions.send.error', 'The subscription could not be sent')),
        });
      }
    } finally {
      setIsSending(false);
    }
  };

  if (subscription.isLoading || isLoadingPermissions) return <Page.Loading />;
  if (statusOf(subscription.error) === 404) return <Page.NoData />;
  if (subscription.isError || !subscription.data) return <Page.Error />;

  const current = subscription.data;
  const history = runs.history.data;

  return (
    <Page.Main>
      <DocumentHeader
        title={current.name}
        status={<EnabledBadge enabled={current.enabled} />}
        subtitle={t('subscriptions.page.subtitle', '{count, plural, one {# recipient} other {# recipients}}', {
          count: current.recipients.length,
        })}
        deleteLabel={t('subscriptions.page.delete', 'Delete')}
        onDelete={canDelete ? () => setDeleting(current) : undefined}
        editLabel={t('subscriptions.page.edit', 'Edit')}
        canEdit={canUpdate}
      >
        {canSend ? (
          <Button
            size="S"
            startIcon={<PaperPlane />}
            loading={isSending || runs.selectedActive}
            disabled={!current.enabled}
            onClick={handleSend}
          >
            {t('subscriptions.page.send', 'Send now')}
          </Button>
        ) : null}
      </DocumentHeader>
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <SubscriptionDetails subscription={current} />
          <OutcomesCard
            run={runs.selectedRun}
            isLive={runs.selectedActive}
            deliveries={runs.deliveries.data}
            error={runs.deliveries.error}
          />
          {canReadRuns ? (
            <Card title={t('subscriptions.history.title', 'Run history')} testId="run-history">
              <RunHistory
                runs={history?.data ?? []}
                pagination={history?.meta?.pagination ?? null}
                onPageChange={runs.setPage}
                onCancel={canCancelRuns ? setCancelling : undefined}
                showDeliveries
                onSelect={runs.choose}
                selectedRunId={runs.selectedRunId}
                emptyMessage={t('subscriptions.history.empty', 'Not sent yet.')}
              />
            </Card>
          ) : null}
        </Flex>
      </Layouts.Content>
      <DeleteSubscriptionDialog subscription={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />
      <CancelRunDialog run={cancelling} onCancel={() => setCancelling(null)} onConfirm={confirmCancel} />
    </Page.Main>
  );
};
