import { Alert } from '@strapi/design-system';

interface OtherErrorsAlertProps {
  title: string;
  closeLabel: string;
  /** `[field key, message]` of the server's errors no field of the form shows. */
  errors: [string, string][];
}

/** Above a form: what the server refused that no field of it shows (an unknown key, say). */
export const OtherErrorsAlert = ({ title, closeLabel, errors }: OtherErrorsAlertProps) =>
  errors.length > 0 ? (
    <Alert variant="danger" title={title} closeLabel={closeLabel} data-testid="other-errors">
      {errors.map(([key, message]) => `${key ? `${key}: ` : ''}${message}`).join(' · ')}
    </Alert>
  ) : null;
