import { Page } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import { useParams } from 'react-router-dom';
import { subscriptionKeys, useSubscriptionsApi } from '../../api/subscriptions';
import { statusOf } from '../../utils/errors';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { SubscriptionEditorForm } from './components/SubscriptionEditorForm';

/** Create (no `:documentId`) and edit a subscription: loads it, then the form takes over. */
export const SubscriptionEditorPage = () => {
  const { documentId = '' } = useParams<{ documentId: string }>();
  const api = useSubscriptionsApi();
  const subscription = useQuery(subscriptionKeys.detail(documentId), () => api.getSubscription(documentId), {
    enabled: Boolean(documentId),
    retry: retryUnlessClientError,
    // The form starts from what is saved now, not from a cached copy.
    refetchOnMount: 'always',
  });

  if (!documentId) return <SubscriptionEditorForm subscription={null} />;
  if (subscription.isLoading || !subscription.isFetchedAfterMount) return <Page.Loading />;
  if (statusOf(subscription.error) === 404) return <Page.NoData />;
  if (subscription.isError || !subscription.data) return <Page.Error />;
  return <SubscriptionEditorForm key={subscription.data.documentId} subscription={subscription.data} />;
};
