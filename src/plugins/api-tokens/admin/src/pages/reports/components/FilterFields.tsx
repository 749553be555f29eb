import { Grid } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Operator } from '../../../api/reports';
import { SelectField } from '../../../components/SelectField';
import type { Column } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';
import { isMultiValue, operatorsFor, valueCountOf } from '../queryOptions';
import type { FilterDraft } from '../reportDraft';
import { newKey, updateRow } from '../../../utils/rows';
import { FilterValuesField } from './FilterValuesField';
import { RowList, type RowsFieldProps } from '../../../components/RowList';

const OPERATOR_LABELS: Record<Operator, string> = {
  EQUALS: 'equals',
  NOT_EQUALS: 'does not equal',
  IN: 'is one of',
  NOT_IN: 'is not one of',
  GREATER_THAN: 'is greater than',
  GREAT_THAN_EQUALS_TO: 'is at least',
  LESS_THAN: 'is less than',
  LESS_THAN_EQUALS_TO: 'is at most',
  BETWEEN: 'is between',
};

/** The values kept when the operator changes: as many as it takes, the ones typed so far first. */
const valuesFor = (operator: Operator, values: string[]) => {
  if (isMultiValue(operator)) return values.some(Boolean) ? values.filter(Boolean) : [''];
  return Array.from({ length: valueCountOf(operator) }, (_value, index) => values[index] ?? '');
};

/** Filter rows: a column, an operator its type allows, and the values the operator takes. */
export const FilterFields = ({
  rows,
  columns,
  errorOf,
  onChange,
}: RowsFieldProps<FilterDraft> & { columns: Column[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const columnOptions = columns.map((column) => ({ value: column.name, label: column.name }));

  return (
    <RowList
      rows={rows}
      list="query.filters"
      testId="filter"
      addLabel={t('reports.editor.filter.add', 'Add a filter')}
      removeLabel={(index) => t('reports.editor.filter.remove', 'Remove filter {number}', { number: index + 1 })}
      newRow={(): FilterDraft => ({ key: newKey(), column: '', operator: 'EQUALS', values: [''] })}
      errorOf={errorOf}
      onChange={onChange}
      renderRow={(row, key) => {
        const column = columns.find((candidate) => candidate.name === row.column);
        const operators = operatorsFor(column);
        return (
          <Grid.Root gap={4}>
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.column`}
                label={t('reports.editor.filter.column', 'Column')}
                required
                error={errorOf(`${key}.column`)}
                placeholder={t('reports.editor.pickColumn', 'Pick a column')}
                options={columnOptions}
                value={row.column}
                onChange={(name) => {
                  // Another column's values mean nothing here; its type may not take the operator either.
                  const allowed = operatorsFor(columns.find((candidate) => candidate.name === name));
                  const operator = allowed.includes(row.operator) ? row.operator : 'EQUALS';
                  onChange(
                    updateRow(rows, row.key, { column: name, operator, values: valuesFor(operator, []) }),
                    `${key}.column`
                  );
                }}
              />
            </Grid.Item>
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.operator`}
                label={t('reports.editor.filter.operator', 'Operator')}
                required
                error={errorOf(`${key}.operator`)}
                options={operators.map((operator) => ({
                  value: operator,
                  label: t(`reports.editor.filter.operator.${operator}`, OPERATOR_LABELS[operator]),
                }))}
                value={row.operator}
                onChange={(value) => {
                  const operator = value as Operator;
                  onChange(
                    updateRow(rows, row.key, { operator, values: valuesFor(operator, row.values) }),
                    `${key}.operator`
                  );
                }}
              />
            </Grid.Item>
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <FilterValuesField
                name={`${key}.values`}
                column={column}
                operator={row.operator}
                values={row.values}
                error={errorOf(`${key}.values`)}
                onChange={(values) => onChange(updateRow(rows, row.key, { values }), `${key}.values`)}
              />
            </Grid.Item>
          </Grid.Root>
        );
      }}
    />
  );
};
