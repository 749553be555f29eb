import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useQueryClient } from 'react-query';
import { useIntl } from 'react-intl';
import { subscriptionKeys, useSubscriptionsApi, type Subscription } from '../../api/subscriptions';
import { errorMessageOf } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';

/** The delete confirmed in DeleteSubscriptionDialog: the subscription being confirmed, and the delete itself. */
export const useDeleteSubscription = (onDeleted?: () => void) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const queryClient = useQueryClient();
  const api = useSubscriptionsApi();
  const [deleting, setDeleting] = React.useState<Subscription | null>(null);

  const confirmDelete = async () => {
    if (!deleting) return;
    try {
      await api.deleteSubscription(deleting.documentId);
      queryClient.setQueryData<Subscription[] | undefined>(subscriptionKeys.list(), (list) =>
        list?.filter((row) => row.documentId !== deleting.documentId)
      );
      queryClient.removeQueries(subscriptionKeys.detail(deleting.documentId));
      void queryClient.invalidateQueries(subscriptionKeys.list());
      toggleNotification({
        type: 'success',
        message: formatMessage(
          { id: getTranslation('subscriptions.delete.success'), defaultMessage: '“{name}” was deleted' },
          { name: deleting.name }
        ),
      });
      setDeleting(null);
      onDeleted?.();
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(
          error,
          formatMessage({
            id: getTranslation('subscriptions.delete.error'),
            defaultMessage: 'The subscription could not be deleted',
          })
        ),
      });
    }
  };

  return { deleting, setDeleting, confirmDelete };
};
