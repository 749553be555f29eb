import * as React from 'react';
import { DatePicker, Field, Flex, Radio, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../../../utils/getTranslation';
import {
  PRESET_DAYS,
  expiryPreview,
  expiryProblem,
  maxCustomDate,
  type ExpiryChoice,
  type ExpiryValue,
} from '../../../utils/expiry';

interface ExpiryFieldProps {
  value: ExpiryValue;
  onChange: (value: ExpiryValue) => void;
  error?: string;
  disabled?: boolean;
}

/** What is wrong with an expiry choice, as the field shows it; undefined when it can be sent. */
export const useExpiryError = () => {
  const { formatMessage, formatDate } = useIntl();
  return (value: ExpiryValue): string | undefined => {
    switch (expiryProblem(value)) {
      case 'required':
        return formatMessage({
          id: getTranslation('tokens.create.error.expiresAt.required'),
          defaultMessage: 'Choose an expiry date',
        });
      case 'past':
        return formatMessage({
          id: getTranslation('tokens.expiry.error.past'),
          defaultMessage: 'Choose a date after today',
        });
      case 'tooFar':
        return formatMessage(
          {
            id: getTranslation('tokens.expiry.error.tooFar'),
            defaultMessage: 'Choose a date at most one year from today (by {date})',
          },
          { date: formatDate(maxCustomDate(), { dateStyle: 'long' }) }
        );
      default:
        return undefined;
    }
  };
};

/**
 * 30 / 60 / 90 days, or a custom date between tomorrow and a year from today. The picker has no min or max date:
 * it would silently clamp a typed date into range (01/01/2020 became tomorrow), so the form checks it instead.
 */
export const ExpiryField = ({ value, onChange, error, disabled }: ExpiryFieldProps) => {
  const { formatMessage, formatDate } = useIntl();
  const labelId = React.useId();
  const preview = expiryPreview(value);
  const isCustom = value.choice === 'custom';

  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Typography id={labelId} variant="pi" fontWeight="bold" textColor="neutral800">
        {formatMessage({ id: getTranslation('tokens.expiry.label'), defaultMessage: 'Expiration' })}
      </Typography>
      <Radio.Group
        aria-labelledby={labelId}
        name="expiry"
        value={value.choice}
        disabled={disabled}
        onValueChange={(choice: string) => onChange({ ...value, choice: choice as ExpiryChoice })}
        style={{ flexDirection: 'row', flexWrap: 'wrap', columnGap: '2.4rem' }}
      >
        {PRESET_DAYS.map((days) => (
          <Radio.Item key={days} value={String(days)}>
            {formatMessage({ id: getTranslation('tokens.expiry.days'), defaultMessage: '{days} days' }, { days })}
          </Radio.Item>
        ))}
        <Radio.Item value="custom">
          {formatMessage({ id: getTranslation('tokens.expiry.custom'), defaultMessage: 'Custom date' })}
        </Radio.Item>
      </Radio.Group>
      {isCustom ? (
        <Field.Root
          name="expiresAt"
          error={error}
          required
          hint={formatMessage({
            id: getTranslation('tokens.expiry.date.hint'),
            defaultMessage: 'Between tomorrow and one year from today. The token expires at the end of that day (UTC).',
          })}
        >
          <Field.Label>
            {formatMessage({ id: getTranslation('tokens.expiry.date'), defaultMessage: 'Expiry date' })}
          </Field.Label>
          <DatePicker
            value={value.date}
            onChange={(date) => onChange({ ...value, date: date ?? undefined })}
            onClear={() => onChange({ ...value, date: undefined })}
            clearLabel={formatMessage({
              id: getTranslation('tokens.expiry.clear'),
              defaultMessage: 'Clear date',
            })}
            disabled={disabled}
          />
          <Field.Hint />
          <Field.Error />
        </Field.Root>
      ) : (
        <>
          {error ? (
            <Typography variant="pi" textColor="danger600">
              {error}
            </Typography>
          ) : null}
        </>
      )}
      {preview && !(isCustom && error) ? (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage(
            { id: getTranslation('tokens.expiry.preview'), defaultMessage: 'Expires on {date}' },
            { date: formatDate(preview, { dateStyle: 'long' }) }
          )}
        </Typography>
      ) : null}
    </Flex>
  );
};
