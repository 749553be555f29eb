import { useIntl } from 'react-intl';
import type { Dashboard } from '../../../api/dashboards';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { getTranslation } from '../../../utils/getTranslation';

interface DeleteDashboardDialogProps {
  /** The dashboard to delete; the dialog is open while it is set. */
  dashboard: Pick<Dashboard, 'documentId' | 'name'> | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}

export const DeleteDashboardDialog = ({ dashboard, onCancel, onConfirm }: DeleteDashboardDialogProps) => {
  const { formatMessage } = useIntl();
  const name = dashboard?.name ?? '';
  return (
    <ConfirmDialog
      open={dashboard !== null}
      title={formatMessage(
        { id: getTranslation('dashboards.delete.title'), defaultMessage: 'Delete “{name}”?' },
        { name }
      )}
      description={formatMessage(
        {
          id: getTranslation('dashboards.delete.body'),
          defaultMessage:
            'The dashboard and its embed are deleted; its reports stay. Sites that embed it stop showing it.',
        },
        { name }
      )}
      cancelLabel={formatMessage({ id: getTranslation('dashboards.cancel'), defaultMessage: 'Cancel' })}
      confirmLabel={formatMessage({ id: getTranslation('dashboards.delete.confirm'), defaultMessage: 'Delete' })}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
};
