import { subscriptionKeys, useSubscriptionsApi, type Subscription } from '../../api/subscriptions';
import { getTranslation } from '../../utils/getTranslation';
import { useDeleteDocument } from '../../utils/useDeleteDocument';

/** The delete confirmed in DeleteSubscriptionDialog. */
export const useDeleteSubscription = (onDeleted?: () => void) => {
  const api = useSubscriptionsApi();
  return useDeleteDocument<Subscription>({
    remove: api.deleteSubscription,
    keys: subscriptionKeys,
    messages: {
      success: { id: getTranslation('subscriptions.delete.success'), defaultMessage: '“{name}” was deleted' },
      error: {
        id: getTranslation('subscriptions.delete.error'),
        defaultMessage: 'The subscription could not be deleted',
      },
    },
    onDeleted,
  });
};
