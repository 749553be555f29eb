import * as React from 'react';
import { Box, Button, Flex, Modal, Typography } from '@strapi/design-system';
import { Check, Duplicate, WarningCircle } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { getTranslation } from '../../../utils/getTranslation';
import { Monospace } from '../../../components/Monospace';
import { copyText } from '../../../utils/clipboard';

interface RevealTokenModalProps {
  /** The one-time secret; the modal is open while it is set. */
  secret: string | null;
  tokenName?: string;
  /** Called when the modal closes; the caller must drop the secret. */
  onClose: () => void;
}

const selectContents = (node: HTMLElement | null) => {
  if (!node) return;
  const range = document.createRange();
  range.selectNodeContents(node);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
};

/** Shows a token's secret once, with a Copy button. It keeps no copy of the secret itself. */
export const RevealTokenModal = ({ secret, tokenName, onClose }: RevealTokenModalProps) => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const [copied, setCopied] = React.useState(false);
  const secretRef = React.useRef<HTMLSpanElement>(null);

  React.useEffect(() => setCopied(false), [secret]);

  const handleCopy = async () => {
    if (!secret) return;
    if (await copyText(secret)) {
      setCopied(true);
      toggleNotification({
        type: 'success',
        message: formatMessage({
          id: getTranslation('tokens.reveal.copied.notification'),
          defaultMessage: 'Token copied to the clipboard',
        }),
      });
    } else {
      selectContents(secretRef.current);
      toggleNotification({
        type: 'warning',
        message: formatMessage({
          id: getTranslation('tokens.reveal.copyFailed'),
          defaultMessage: 'Could not copy. Select the token and copy it by hand.',
        }),
      });
    }
  };

  return (
    <Modal.Root open={secret !== null} onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content
        // Only the buttons close it: a stray click outside would lose the secret for good.
        onPointerDownOutside={(event: Event) => event.preventDefault()}
        onInteractOutside={(event: Event) => event.preventDefault()}
      >
        <Modal.Header
          closeLabel={formatMessage({ id: getTranslation('tokens.reveal.closeLabel'), defaultMessage: 'Close' })}
        >
          <Modal.Title>
            {formatMessage({ id: getTranslation('tokens.reveal.title'), defaultMessage: 'Copy your new token' })}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Flex
              gap={2}
              alignItems="flex-start"
              background="warning100"
              borderColor="warning200"
              hasRadius
              padding={4}
              role="alert"
            >
              <Box color="warning600" paddingTop={1}>
                <WarningCircle fill="warning600" />
              </Box>
              <Typography textColor="warning700">
                {formatMessage({
                  id: getTranslation('tokens.reveal.warning'),
                  defaultMessage:
                    'This is the only time the token is shown. Copy it now and store it somewhere safe: it cannot be shown again.',
                })}
              </Typography>
            </Flex>
            {tokenName ? (
              <Typography variant="pi" fontWeight="bold" textColor="neutral800">
                {formatMessage(
                  { id: getTranslation('tokens.reveal.name'), defaultMessage: 'Token for {name}' },
                  { name: tokenName }
                )}
              </Typography>
            ) : null}
            <Flex gap={3} alignItems="center">
              <Box background="neutral100" borderColor="neutral200" hasRadius padding={3} flex="1" minWidth={0}>
                <Monospace ref={secretRef} data-testid="revealed-token" textColor="neutral800">
                  {secret}
                </Monospace>
              </Box>
              <Button
                variant={copied ? 'success-light' : 'secondary'}
                startIcon={copied ? <Check /> : <Duplicate />}
                onClick={handleCopy}
              >
                {copied
                  ? formatMessage({ id: getTranslation('tokens.reveal.copied'), defaultMessage: 'Copied' })
                  : formatMessage({ id: getTranslation('tokens.reveal.copy'), defaultMessage: 'Copy' })}
              </Button>
            </Flex>
          </Flex>
        </Modal.Body>
        <Modal.Footer justifyContent="flex-end">
          <Modal.Close>
            <Button variant="default">
              {formatMessage({ id: getTranslation('tokens.reveal.close'), defaultMessage: 'I have copied it' })}
            </Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
