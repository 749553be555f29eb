import * as React from 'react';
import { ArrowClockwise } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { ExpiryInput, Token } from '../../../api/tokens';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { getTranslation } from '../../../utils/getTranslation';
import { DEFAULT_EXPIRY, toExpiryInput, type ExpiryValue } from '../../../utils/expiry';
import { ExpiryField, useExpiryError } from './ExpiryField';

interface RegenerateDialogProps {
  /** The token to regenerate; the dialog is open while it is set. */
  token: Token | null;
  onCancel: () => void;
  /** Resolves to field errors to show (e.g. `{ expiry: '...' }`), or nothing on success. */
  onConfirm: (token: Token, expiry: ExpiryInput) => Promise<Record<string, string> | void>;
}

/** Confirms a regeneration and asks for the new token's expiry. */
export const RegenerateDialog = ({ token, onCancel, onConfirm }: RegenerateDialogProps) => {
  const { formatMessage } = useIntl();
  const [expiry, setExpiry] = React.useState<ExpiryValue>(DEFAULT_EXPIRY);
  const [error, setError] = React.useState<string>();
  const expiryError = useExpiryError();
  const name = token?.name ?? '';

  React.useEffect(() => {
    setExpiry(DEFAULT_EXPIRY);
    setError(undefined);
  }, [token?.documentId]);

  const handleConfirm = async () => {
    if (!token) return;
    const problem = expiryError(expiry);
    if (problem) {
      setError(problem);
      return;
    }
    const errors = await onConfirm(token, toExpiryInput(expiry)!);
    if (errors?.expiry) setError(errors.expiry);
  };

  return (
    <ConfirmDialog
      open={token !== null}
      title={formatMessage(
        { id: getTranslation('tokens.regenerate.title'), defaultMessage: 'Regenerate “{name}”?' },
        { name }
      )}
      description={formatMessage({
        id: getTranslation('tokens.regenerate.body'),
        defaultMessage: 'The current token stops working immediately. Apps that use it need the new one.',
      })}
      cancelLabel={formatMessage({ id: getTranslation('tokens.cancel'), defaultMessage: 'Cancel' })}
      confirmLabel={formatMessage({ id: getTranslation('tokens.regenerate.confirm'), defaultMessage: 'Regenerate' })}
      confirmVariant="default"
      confirmIcon={<ArrowClockwise />}
      onCancel={onCancel}
      onConfirm={handleConfirm}
    >
      {(isSubmitting) => (
        <ExpiryField
          value={expiry}
          onChange={(value) => {
            setExpiry(value);
            setError(value.date ? expiryError(value) : undefined);
          }}
          error={error}
          disabled={isSubmitting}
        />
      )}
    </ConfirmDialog>
  );
};
