import { useIntl } from 'react-intl';
import type { Run } from '../api/runs';
import { getTranslation } from '../utils/getTranslation';
import { ConfirmDialog } from './ConfirmDialog';

interface CancelRunDialogProps {
  /** The run to cancel; the dialog is open while it is set. */
  run: Run | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}

/** "Cancel this run?" for a run of any kind. */
export const CancelRunDialog = ({ run, onCancel, onConfirm }: CancelRunDialogProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <ConfirmDialog
      open={run !== null}
      title={t('runs.cancel.title', 'Cancel this run?')}
      description={t(
        'runs.cancel.descriptionAny',
        'A queued run is cancelled at once; a running one stops at its next step. What it already did stays done.'
      )}
      cancelLabel={t('runs.cancel.keep', 'Keep it')}
      confirmLabel={t('runs.cancel', 'Cancel run')}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
};
