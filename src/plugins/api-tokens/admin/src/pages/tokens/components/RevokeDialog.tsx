import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { Token } from '../../../api/tokens';
import { getTranslation } from '../../../utils/getTranslation';

interface RevokeDialogProps {
  /** The token to revoke; the dialog is open while it is set. */
  token: Token | null;
  onCancel: () => void;
  onConfirm: (token: Token) => Promise<void>;
}

export const RevokeDialog = ({ token, onCancel, onConfirm }: RevokeDialogProps) => {
  const { formatMessage } = useIntl();
  const [isSubmitting, setIsSubmitting] = React.useState(false);
  const name = token?.name ?? '';

  const handleConfirm = async () => {
    if (!token) return;
    setIsSubmitting(true);
    try {
      await onConfirm(token);
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <Dialog.Root open={token !== null} onOpenChange={(open: boolean) => !open && !isSubmitting && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>
          {formatMessage({ id: getTranslation('tokens.revoke.title'), defaultMessage: 'Revoke “{name}”?' }, { name })}
        </Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="center" gap={2}>
            <WarningCircle fill="danger600" width={24} height={24} />
            <Dialog.Description textAlign="center">
              {formatMessage(
                {
                  id: getTranslation('tokens.revoke.body'),
                  defaultMessage: 'Apps that use “{name}” lose access immediately. A revoked token cannot be restored.',
                },
                { name }
              )}
            </Dialog.Description>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={isSubmitting}>
              {formatMessage({ id: getTranslation('tokens.cancel'), defaultMessage: 'Cancel' })}
            </Button>
          </Dialog.Cancel>
          <Button fullWidth variant="danger-light" loading={isSubmitting} onClick={handleConfirm}>
            {formatMessage({ id: getTranslation('tokens.revoke.confirm'), defaultMessage: 'Revoke' })}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
