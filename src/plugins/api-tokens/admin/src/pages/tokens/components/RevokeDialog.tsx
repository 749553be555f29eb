import { useIntl } from 'react-intl';
import type { Token } from '../../../api/tokens';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { getTranslation } from '../../../utils/getTranslation';

interface RevokeDialogProps {
  /** The token to revoke; the dialog is open while it is set. */
  token: Token | null;
  onCancel: () => void;
  onConfirm: (token: Token) => Promise<void>;
}

export const RevokeDialog = ({ token, onCancel, onConfirm }: RevokeDialogProps) => {
  const { formatMessage } = useIntl();
  const name = token?.name ?? '';
  return (
    <ConfirmDialog
      open={token !== null}
      title={formatMessage({ id: getTranslation('tokens.revoke.title'), defaultMessage: 'Revoke “{name}”?' }, { name })}
      description={formatMessage(
        {
          id: getTranslation('tokens.revoke.body'),
          defaultMessage: 'Apps that use “{name}” lose access immediately. A revoked token cannot be restored.',
        },
        { name }
      )}
      cancelLabel={formatMessage({ id: getTranslation('tokens.cancel'), defaultMessage: 'Cancel' })}
      confirmLabel={formatMessage({ id: getTranslation('tokens.revoke.confirm'), defaultMessage: 'Revoke' })}
      onCancel={onCancel}
      onConfirm={async () => {
        if (token) await onConfirm(token);
      }}
    />
  );
};
