import { useIntl } from 'react-intl';
import type { Subscription } from '../../../api/subscriptions';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { getTranslation } from '../../../utils/getTranslation';

interface DeleteSubscriptionDialogProps {
  /** The subscription to delete; the dialog is open while it is set. */
  subscription: Pick<Subscription, 'documentId' | 'name'> | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}

export const DeleteSubscriptionDialog = ({ subscription, onCancel, onConfirm }: DeleteSubscriptionDialogProps) => {
  const { formatMessage } = useIntl();
  const name = subscription?.name ?? '';
  return (
    <ConfirmDialog
      open={subscription !== null}
      title={formatMessage(
        { id: getTranslation('subscriptions.delete.title'), defaultMessage: 'Delete “{name}”?' },
        { name }
      )}
      description={formatMessage({
        id: getTranslation('subscriptions.delete.body'),
        defaultMessage:
          'The subscription and its schedule are deleted; its recipients get nothing more. Apps that trigger it get a 404.',
      })}
      cancelLabel={formatMessage({ id: getTranslation('subscriptions.cancel'), defaultMessage: 'Cancel' })}
      confirmLabel={formatMessage({ id: getTranslation('subscriptions.delete.confirm'), defaultMessage: 'Delete' })}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
};
