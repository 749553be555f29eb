import { Box, Checkbox, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { InputValues, ReportInputOptions } from '../../../api/reports';
import { InputControls } from '../../../components/InputControls';
import { RowList, type RowsFieldProps } from '../../../components/RowList';
import { TextField } from '../../../components/TextField';
import { getTranslation } from '../../../utils/getTranslation';
import { updateRow } from '../../../utils/rows';
import { errorsUnder } from '../subscriptionErrors';
import { newRecipient, type RecipientDraft } from '../subscriptionDraft';

interface RecipientFieldsProps extends RowsFieldProps<RecipientDraft> {
  /** The target's inputs; each shows the subscription's value as its default. */
  inputs: ReportInputOptions[];
  /** Every error of the form by field key, for a recipient's inputs (`recipients.0.inputs.region`). */
  errors: Record<string, string>;
}

/** Recipient rows: an address, and optionally the recipient's own input values (they get their own rendering). */
export const RecipientFields = ({ rows, inputs, errors, errorOf, onChange }: RecipientFieldsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  return (
    <RowList
      rows={rows}
      list="recipients"
      testId="recipient"
      addLabel={t('subscriptions.editor.recipient.add', 'Add a recipient')}
      removeLabel={(index) =>
        t('subscriptions.editor.recipient.remove', 'Remove recipient {number}', { number: index + 1 })
      }
      newRow={() => newRecipient()}
      errorOf={errorOf}
      onChange={onChange}
      renderRow={(row, key) => (
        <Flex direction="column" alignItems="stretch" gap={3}>
          <TextField
            name={`${key}.email`}
            label={t('subscriptions.editor.recipient.email', 'Email')}
            required
            spellCheck={false}
            placeholder="name@example.com"
            error={errorOf(`${key}.email`)}
            value={row.email}
            onChange={(email) => onChange(updateRow(rows, row.key, { email }), `${key}.email`)}
          />
          {inputs.length > 0 ? (
            <Checkbox
              name={`${key}.hasInputs`}
              checked={row.hasInputs}
              onCheckedChange={(checked: boolean | 'indeterminate') =>
                onChange(updateRow(rows, row.key, { hasInputs: checked === true }), `${key}.inputs`)
              }
            >
              {t('subscriptions.editor.recipient.ownInputs', 'Own input values (this recipient gets their own data)')}
            </Checkbox>
          ) : null}
          {row.hasInputs && inputs.length > 0 ? (
            <Box data-testid={`recipient-inputs-${key.split('.')[1]}`}>
              <InputControls
                inputs={inputs}
                values={row.inputs}
                errors={errorsUnder(errors, `${key}.inputs`)}
                onChange={(name, value) =>
                  onChange(
                    updateRow(rows, row.key, { inputs: { ...row.inputs, [name]: value } as InputValues }),
                    `${key}.inputs.${name}`
                  )
                }
              />
            </Box>
          ) : null}
          {row.hasInputs && errorOf(`${key}.inputs`) ? (
            <Typography variant="pi" textColor="danger600" role="alert">
              {errorOf(`${key}.inputs`)}
            </Typography>
          ) : null}
        </Flex>
      )}
    />
  );
};
