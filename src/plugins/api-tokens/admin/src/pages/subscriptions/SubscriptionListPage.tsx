import { Page, useRBAC } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import { useIntl } from 'react-intl';
import { subscriptionKeys, useSubscriptionsApi } from '../../api/subscriptions';
import { ListPage } from '../../components/ListPage';
import { ALL_SUBSCRIPTION_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { DeleteSubscriptionDialog } from './components/DeleteSubscriptionDialog';
import { SubscriptionTable } from './components/SubscriptionTable';
import { useDeleteSubscription } from './useDeleteSubscription';

export const SubscriptionListPage = () => {
  const { formatMessage } = useIntl();
  const notifyLoadError = useNotifyLoadError();
  const api = useSubscriptionsApi();
  const {
    allowedActions: { canCreate, canUpdate, canDelete },
  } = useRBAC(ALL_SUBSCRIPTION_PERMISSIONS);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { deleting, setDeleting, confirmDelete } = useDeleteSubscription();

  const subscriptions = useQuery(subscriptionKeys.list(), () => api.listSubscriptions(), {
    retry: retryUnlessClientError,
    onError: notifyLoadError(t('subscriptions.list.loadError', 'The subscriptions could not be loaded.')),
  });

  if (subscriptions.isLoading) return <Page.Loading />;
  if (!subscriptions.data) return <Page.Error />;

  return (
    <ListPage
      title={t('subscriptions.list.title', 'Subscriptions')}
      subtitle={t(
        'subscriptions.list.subtitle',
        'A subscription mails a report or a dashboard to its recipients on a schedule, or when an app triggers it.'
      )}
      createLabel={t('subscriptions.create', 'Create subscription')}
      canCreate={canCreate}
      isEmpty={subscriptions.data.length === 0}
      emptyMessage={t('subscriptions.list.empty', 'No subscriptions yet')}
      emptyMessageNoCreate={t(
        'subscriptions.list.empty.noCreate',
        'No subscriptions yet. Ask an administrator to create one.'
      )}
      overlays={
        <DeleteSubscriptionDialog
          subscription={deleting}
          onCancel={() => setDeleting(null)}
          onConfirm={confirmDelete}
        />
      }
    >
      <SubscriptionTable
        subscriptions={subscriptions.data}
        canUpdate={canUpdate}
        canDelete={canDelete}
        onDelete={setDeleting}
      />
    </ListPage>
  );
};
