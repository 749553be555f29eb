import { Alert } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../../../utils/getTranslation';

interface InvalidFormAlertProps {
  /** Shown while a failed submit's field errors stand; it goes as they are fixed, or on a successful submit. */
  open: boolean;
  onClose: () => void;
}

/**
 * "Check the highlighted fields", on the form itself: a toast cannot be taken back, so it outlived the errors and
 * still stood beside the reveal dialog after the next, successful submit.
 */
export const InvalidFormAlert = ({ open, onClose }: InvalidFormAlertProps) => {
  const { formatMessage } = useIntl();
  if (!open) return null;
  return (
    <Alert
      variant="warning"
      closeLabel={formatMessage({ id: getTranslation('tokens.form.invalid.close'), defaultMessage: 'Close' })}
      onClose={onClose}
    >
      {formatMessage({
        id: getTranslation('tokens.create.error.form'),
        defaultMessage: 'Check the highlighted fields',
      })}
    </Alert>
  );
};
