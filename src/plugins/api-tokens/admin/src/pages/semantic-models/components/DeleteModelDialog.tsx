import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { SemanticModel } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';

interface DeleteModelDialogProps {
  /** The model to delete; the dialog is open while it is set. */
  model: Pick<SemanticModel, 'documentId' | 'name'> | null;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}

export const DeleteModelDialog = ({ model, onCancel, onConfirm }: DeleteModelDialogProps) => {
  const { formatMessage } = useIntl();
  const [isSubmitting, setIsSubmitting] = React.useState(false);
  const name = model?.name ?? '';

  const handleConfirm = async () => {
    setIsSubmitting(true);
    try {
      await onConfirm();
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <Dialog.Root open={model !== null} onOpenChange={(open: boolean) => !open && !isSubmitting && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>
          {formatMessage({ id: getTranslation('models.delete.title'), defaultMessage: 'Delete “{name}”?' }, { name })}
        </Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="center" gap={2}>
            <WarningCircle fill="danger600" width={24} height={24} />
            <Dialog.Description textAlign="center">
              {formatMessage(
                {
                  id: getTranslation('models.delete.body'),
                  defaultMessage:
                    'The model, its schedule and its data snapshot are deleted. Apps that read “{name}” stop getting data.',
                },
                { name }
              )}
            </Dialog.Description>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={isSubmitting}>
              {formatMessage({ id: getTranslation('models.cancel'), defaultMessage: 'Cancel' })}
            </Button>
          </Dialog.Cancel>
          <Button fullWidth variant="danger-light" loading={isSubmitting} onClick={handleConfirm}>
            {formatMessage({ id: getTranslation('models.delete.confirm'), defaultMessage: 'Delete' })}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
