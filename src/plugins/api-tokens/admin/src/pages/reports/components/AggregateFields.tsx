import { Grid } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { AggregateFn } from '../../../api/reports';
import { SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import type { Column } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';
import { AGGREGATE_FNS, aggregateColumns } from '../queryOptions';
import type { AggregateDraft } from '../reportDraft';
import { newKey, updateRow } from '../../../utils/rows';
import { RowList, type RowsFieldProps } from '../../../components/RowList';

/** The field select's value for counting all rows (no field). */
const ALL_ROWS = '*';
const FN_LABELS: Record<AggregateFn, string> = {
  count: 'Count',
  sum: 'Sum',
  avg: 'Average',
  min: 'Minimum',
  max: 'Maximum',
};

const autoAlias = (fn: AggregateFn, field: string) => (field ? `${fn}_${field}` : fn);

/** Aggregate rows: a function, the column it takes (none for counting rows) and the result column's alias. */
export const AggregateFields = ({
  rows,
  columns,
  errorOf,
  onChange,
}: RowsFieldProps<AggregateDraft> & { columns: Column[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const fnOptions = AGGREGATE_FNS.map((fn) => ({
    value: fn,
    label: t(`reports.editor.aggregate.fn.${fn}`, FN_LABELS[fn]),
  }));

  /** The alias follows the function and field while it is still the one the editor proposed. */
  const aliasAfter = (row: AggregateDraft, fn: AggregateFn, field: string) =>
    !row.as || row.as === autoAlias(row.fn, row.field) ? autoAlias(fn, field) : row.as;

  return (
    <RowList
      rows={rows}
      list="query.aggregates"
      testId="aggregate"
      addLabel={t('reports.editor.aggregate.add', 'Add an aggregate')}
      removeLabel={(index) => t('reports.editor.aggregate.remove', 'Remove aggregate {number}', { number: index + 1 })}
      newRow={(): AggregateDraft => ({ key: newKey(), fn: 'sum', field: '', as: '' })}
      errorOf={errorOf}
      onChange={onChange}
      renderRow={(row, key) => {
        const fieldOptions = [
          ...(row.fn === 'count'
            ? [{ value: ALL_ROWS, label: t('reports.editor.aggregate.allRows', 'All rows') }]
            : []),
          ...aggregateColumns(row.fn, columns).map((column) => ({ value: column.name, label: column.name })),
        ];
        return (
          <Grid.Root gap={4}>
            <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.fn`}
                label={t('reports.editor.aggregate.fn', 'Function')}
                required
                error={errorOf(`${key}.fn`)}
                options={fnOptions}
                value={row.fn}
                onChange={(value) => {
                  const fn = value as AggregateFn;
                  // Keep the field if the new function takes it.
                  const field = aggregateColumns(fn, columns).some((column) => column.name === row.field)
                    ? row.field
                    : '';
                  onChange(updateRow(rows, row.key, { fn, field, as: aliasAfter(row, fn, field) }), `${key}.fn`);
                }}
              />
            </Grid.Item>
            <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.field`}
                label={t('reports.editor.aggregate.field', 'Of')}
                required={row.fn !== 'count'}
                error={errorOf(`${key}.field`)}
                placeholder={t('reports.editor.pickColumn', 'Pick a column')}
                options={fieldOptions}
                value={row.fn === 'count' && !row.field ? ALL_ROWS : row.field}
                onChange={(value) => {
                  const field = value === ALL_ROWS ? '' : value;
                  onChange(updateRow(rows, row.key, { field, as: aliasAfter(row, row.fn, field) }), `${key}.field`);
                }}
              />
            </Grid.Item>
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <TextField
                name={`${key}.as`}
                label={t('reports.editor.alias', 'Alias')}
                required
                spellCheck={false}
                error={errorOf(`${key}.as`)}
                value={row.as}
                onChange={(as) => onChange(updateRow(rows, row.key, { as }), `${key}.as`)}
              />
            </Grid.Item>
          </Grid.Root>
        );
      }}
    />
  );
};
