import { Grid } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { TextField } from '../../../components/TextField';
import { getTranslation } from '../../../utils/getTranslation';
import type { FormErrors } from '../../../utils/useFormErrors';
import { NAME_MAX_LENGTH } from '../../../../../server/src/shared/limits';

const DESCRIPTION_MAX = 500;

export type DetailsField = 'name' | 'description';

/** The checks of a token's name and description before they are sent (the server repeats them). */
export const useValidateDetails = () => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (name: string, description: string): FormErrors<DetailsField> => {
    const found: FormErrors<DetailsField> = {};
    if (!name.trim()) found.name = t('tokens.create.error.name.required', 'Give the token a name');
    else if (name.length > NAME_MAX_LENGTH) {
      found.name = t('tokens.create.error.name.max', 'The name can have at most 100 characters');
    }
    if (description.length > DESCRIPTION_MAX) {
      found.description = t('tokens.create.error.description.max', 'The description can have at most 500 characters');
    }
    return found;
  };
};

interface TokenDetailsFieldsProps {
  name: string;
  description: string;
  errors: FormErrors<DetailsField>;
  disabled?: boolean;
  onChange: (field: DetailsField, value: string) => void;
}

/** A token's name and description, side by side, as the create form and the token page show them. */
export const TokenDetailsFields = ({ name, description, errors, disabled, onChange }: TokenDetailsFieldsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  return (
    <>
      <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
        <TextField
          name="name"
          required
          label={t('tokens.create.name', 'Name')}
          hint={t('tokens.create.name.hint', 'What uses this token, e.g. "Sales dashboard". At most 100 characters.')}
          error={errors.name}
          value={name}
          maxLength={NAME_MAX_LENGTH}
          disabled={disabled}
          onChange={(value) => onChange('name', value)}
        />
      </Grid.Item>
      <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
        <TextField
          name="description"
          multiline
          label={t('tokens.create.description', 'Description')}
          hint={t('tokens.create.description.hint', 'Optional. At most 500 characters.')}
          error={errors.description}
          value={description}
          maxLength={DESCRIPTION_MAX}
          disabled={disabled}
          onChange={(value) => onChange('description', value)}
        />
      </Grid.Item>
    </>
  );
};
