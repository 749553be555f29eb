import { Checkbox, Grid, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { InputType, ReportInputOptions } from '../../../api/reports';
import { MultiSelectField, SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import type { Column } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';
import type { InputDraft } from '../reportDraft';
import { newKey, updateRow } from '../../../utils/rows';
import { RowList, type RowsFieldProps } from '../../../components/RowList';

interface InputFieldsProps extends RowsFieldProps<InputDraft> {
  columns: Column[];
  /** The inputs with their options, as the last preview answered them. */
  options: ReportInputOptions[];
}

/**
 * Data-input rows: a control the report's readers change (a single- or multi-select), whose options are the distinct
 * values of a model column, with an optional default and whether a value is required.
 */
export const InputFields = ({ rows, columns, options, errorOf, onChange }: InputFieldsProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const columnOptions = columns.map((column) => ({ value: column.name, label: column.name }));
  const typeOptions = [
    { value: 'single-select', label: t('reports.editor.input.type.single', 'Single-select') },
    { value: 'multi-select', label: t('reports.editor.input.type.multi', 'Multi-select') },
  ];

  /** The values the default can take: the input's options from the preview, else the column's enumeration. */
  const choicesOf = (row: InputDraft): string[] | null => {
    const previewed = options.find((input) => input.name === row.name.trim() && input.column === row.column);
    if (previewed) return previewed.options.map(String);
    const column = columns.find((candidate) => candidate.name === row.column);
    return column?.enum?.length ? [...column.enum] : null;
  };

  return (
    <RowList
      rows={rows}
      list="inputs"
      testId="input"
      addLabel={t('reports.editor.input.add', 'Add a data input')}
      removeLabel={(index) => t('reports.editor.input.remove', 'Remove data input {number}', { number: index + 1 })}
      newRow={(): InputDraft => ({
        key: newKey(),
        name: '',
        column: '',
        type: 'single-select',
        default: [],
        required: false,
      })}
      errorOf={errorOf}
      onChange={onChange}
      renderRow={(row, key) => {
        const choices = choicesOf(row);
        // The default picks among the same values, one or several.
        const defaultField = {
          name: `${key}.default`,
          label: t('reports.editor.input.default', 'Default'),
          hint: choices
            ? undefined
            : t('reports.editor.input.default.pending', 'The column’s values appear once the preview has run.'),
          disabled: !choices,
          error: errorOf(`${key}.default`),
          placeholder: t('reports.editor.input.noDefault', 'No default'),
          options: (choices ?? []).map((choice) => ({ value: choice, label: choice })),
        };
        return (
          <Grid.Root gap={4}>
            <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
              <TextField
                name={`${key}.name`}
                label={t('reports.editor.input.name', 'Name')}
                hint={t('reports.editor.input.name.hint', 'In the data URL: inputs[name]=value.')}
                required
                spellCheck={false}
                error={errorOf(`${key}.name`)}
                value={row.name}
                onChange={(name) => onChange(updateRow(rows, row.key, { name }), `${key}.name`)}
              />
            </Grid.Item>
            <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.column`}
                label={t('reports.editor.input.column', 'Column')}
                required
                error={errorOf(`${key}.column`)}
                placeholder={t('reports.editor.pickColumn', 'Pick a column')}
                options={columnOptions}
                value={row.column}
                onChange={(column) =>
                  onChange(
                    // The input is named after its column until named otherwise; the old default means nothing now.
                    updateRow(rows, row.key, { column, name: row.name || column, default: [] }),
                    `${key}.column`
                  )
                }
              />
            </Grid.Item>
            <Grid.Item col={2} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.type`}
                label={t('reports.editor.input.type', 'Control')}
                required
                error={errorOf(`${key}.type`)}
                options={typeOptions}
                value={row.type}
                onChange={(type) =>
                  onChange(
                    updateRow(rows, row.key, { type: type as InputType, default: row.default.slice(0, 1) }),
                    `${key}.type`
                  )
                }
              />
            </Grid.Item>
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              {row.type === 'multi-select' ? (
                <MultiSelectField
                  {...defaultField}
                  value={row.default}
                  onChange={(values) => onChange(updateRow(rows, row.key, { default: values }), `${key}.default`)}
                />
              ) : (
                <SelectField
                  {...defaultField}
                  value={row.default[0] ?? ''}
                  onChange={(value) => onChange(updateRow(rows, row.key, { default: [value] }), `${key}.default`)}
                  onClear={() => onChange(updateRow(rows, row.key, { default: [] }), `${key}.default`)}
                  clearLabel={t('reports.editor.input.clearDefault', 'Clear the default')}
                />
              )}
            </Grid.Item>
            <Grid.Item col={12} direction="column" alignItems="stretch">
              <Checkbox
                name={`${key}.required`}
                checked={row.required}
                onCheckedChange={(checked: boolean | 'indeterminate') =>
                  onChange(updateRow(rows, row.key, { required: checked === true }), `${key}.required`)
                }
              >
                {t('reports.editor.input.required', 'A value is required (the default, when it has none)')}
              </Checkbox>
              {errorOf(`${key}.required`) ? (
                <Typography variant="pi" textColor="danger600" role="alert">
                  {errorOf(`${key}.required`)}
                </Typography>
              ) : null}
            </Grid.Item>
          </Grid.Root>
        );
      }}
    />
  );
};
