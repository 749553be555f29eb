import { useIntl } from 'react-intl';
import { TextField } from '../../../components/TextField';
import { getTranslation } from '../../../utils/getTranslation';

/** The ranges of the field's text: one per line (commas and spaces separate too); empty: none. */
export const parseAllowedIps = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

interface AllowedIpsFieldProps {
  value: string;
  error?: string;
  onChange: (value: string) => void;
}

/** A token's IP allowlist as text, one CIDR range per line (the server checks each). */
export const AllowedIpsField = ({ value, error, onChange }: AllowedIpsFieldProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <TextField
      name="allowedIps"
      multiline
      spellCheck={false}
      label={t('tokens.allowedIps', 'Allowed IP ranges')}
      hint={t(
        'tokens.allowedIps.hint',
        'One CIDR range per line, e.g. 203.0.113.0/24 or 2001:db8::/32. Empty: any address. Requests from elsewhere get 401.'
      )}
      placeholder="203.0.113.0/24"
      error={error}
      value={value}
      onChange={onChange}
    />
  );
};
