import { useIntl } from 'react-intl';
import type { SemanticModel } from '../../../api/semantic-models';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { getTranslation } from '../../../utils/getTranslation';

interface DeleteModelDialogProps {
  /** The model to delete; the dialog is open while it is set. */
  model: Pick<SemanticModel, 'documentId' | 'name'> | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}

export const DeleteModelDialog = ({ model, onCancel, onConfirm }: DeleteModelDialogProps) => {
  const { formatMessage } = useIntl();
  const name = model?.name ?? '';
  return (
    <ConfirmDialog
      open={model !== null}
      title={formatMessage({ id: getTranslation('models.delete.title'), defaultMessage: 'Delete “{name}”?' }, { name })}
      description={formatMessage(
        {
          id: getTranslation('models.delete.body'),
          defaultMessage:
            'The model, its schedule and its data snapshot are deleted. Apps that read “{name}” stop getting data.',
        },
        { name }
      )}
      cancelLabel={formatMessage({ id: getTranslation('models.cancel'), defaultMessage: 'Cancel' })}
      confirmLabel={formatMessage({ id: getTranslation('models.delete.confirm'), defaultMessage: 'Delete' })}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
};
