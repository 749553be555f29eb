import * as React from 'react';
import { Button, Dialog, Flex } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  description: string;
  cancelLabel: string;
  confirmLabel: string;
  /** `danger-light` for what cannot be undone. */
  confirmVariant?: 'danger-light' | 'default';
  confirmIcon?: React.ReactNode;
  /** Fields under the description (e.g. the new expiry of a regenerated token), given whether it is submitting. */
  children?: (isSubmitting: boolean) => React.ReactNode;
  onCancel: () => void;
  /** The dialog shows a loading button and cannot be dismissed until this settles. */
  onConfirm: () => Promise<void>;
}

/** The plugin's confirmation dialog: a warning, a description, Cancel and a confirm button. */
export const ConfirmDialog = ({
  open,
  title,
  description,
  cancelLabel,
  confirmLabel,
  confirmVariant = 'danger-light',
  confirmIcon,
  children,
  onCancel,
  onConfirm,
}: ConfirmDialogProps) => {
  const [isSubmitting, setIsSubmitting] = React.useState(false);

  const handleConfirm = async () => {
    setIsSubmitting(true);
    try {
      await onConfirm();
    } finally {
      setIsSubmitting(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={(next: boolean) => !next && !isSubmitting && onCancel()}>
      <Dialog.Content>
        <Dialog.Header>{title}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={5} width="100%">
            <Flex direction="column" alignItems="center" gap={2}>
              <WarningCircle fill="danger600" width={24} height={24} />
              <Dialog.Description textAlign="center">{description}</Dialog.Description>
            </Flex>
            {children?.(isSubmitting)}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary" disabled={isSubmitting}>
              {cancelLabel}
            </Button>
          </Dialog.Cancel>
          <Button
            fullWidth
            variant={confirmVariant}
            startIcon={confirmIcon}
            loading={isSubmitting}
            onClick={handleConfirm}
          >
            {confirmLabel}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
