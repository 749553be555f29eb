import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { ArrowClockwise, WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { ExpiryInput, Token } from '../../../api/tokens';
import { getTranslation } from '../../../utils/getTranslation';
import { DEFAULT_EXPIRY, toExpiryInput, type ExpiryValue } from '../../../utils/expiry';
import { ExpiryField } from './ExpiryField';

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
  const [isSubmitting, setIsSubmitting] = React.useState(false);
  const name = token?.name ?? '';

  React.useEffect(() => {
    setExpiry(DEFAULT_EXPIRY);
    setError(undefined);
  }, [token?.documentId]);

  const handleConfirm = async () => {
    if (!token) return;
    const input = toExpiryInput(expiry);
    if (!input) {
      setError(
        formatMessage({
          id: getTranslation('tokens.create.error.expiresAt.required'),
          defaultMessage: 'Choose an expiry date',
        })
      );
      return;
    }
    setIsSubmitting(true);
    try {
      const errors = await onConfirm(token, input);
      if (errors?.expiry) setError(errors.expiry);
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <Dialog.Root open={token !== null} onOpenChange={(open: boolean) => !open && !isSubmitting && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>
          {formatMessage(
            { id: getTranslation('tokens.regenerate.title'), defaultMessage: 'Regenerate “{name}”?' },
            { name }
          )}
        </Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={5} width="100%">
            <Flex direction="column" alignItems="center" gap={2}>
              <WarningCircle fill="danger600" width={24} height={24} />
              <Dialog.Description textAlign="center">
                {formatMessage({
                  id: getTranslation('tokens.regenerate.body'),
                  defaultMessage: 'The current token stops working immediately. Apps that use it need the new one.',
                })}
              </Dialog.Description>
            </Flex>
            <ExpiryField
              value={expiry}
              onChange={(value) => {
                setExpiry(value);
                setError(undefined);
              }}
              error={error}
              disabled={isSubmitting}
            />
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={isSubmitting}>
              {formatMessage({ id: getTranslation('tokens.cancel'), defaultMessage: 'Cancel' })}
            </Button>
          </Dialog.Cancel>
          <Button fullWidth startIcon={<ArrowClockwise />} loading={isSubmitting} onClick={handleConfirm}>
            {formatMessage({ id: getTranslation('tokens.regenerate.confirm'), defaultMessage: 'Regenerate' })}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
