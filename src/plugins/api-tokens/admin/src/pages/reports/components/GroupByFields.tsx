import { Grid } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Bucket } from '../../../api/reports';
import { SelectField } from '../../../components/SelectField';
import { TextField } from '../../../components/TextField';
import type { Column } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';
import { BUCKETS, isDate } from '../queryOptions';
import type { GroupByDraft } from '../reportDraft';
import { newKey, updateRow } from '../../../utils/rows';
import { RowList, type RowsFieldProps } from '../../../components/RowList';

/** The bucket select's value for grouping by each value (no bucket). */
const NO_BUCKET = 'none';
const BUCKET_LABELS: Record<Bucket, string> = {
  day: 'Day',
  week: 'Week (from Monday)',
  month: 'Month',
  quarter: 'Quarter',
  year: 'Year',
};

const autoAlias = (field: string, bucket: Bucket | '') => (bucket ? `${field}_${bucket}` : '');

/** Group-by rows: a column, or a date bucket of a date column named by an alias. */
export const GroupByFields = ({
  rows,
  columns,
  errorOf,
  onChange,
}: RowsFieldProps<GroupByDraft> & { columns: Column[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const columnOptions = columns.map((column) => ({ value: column.name, label: column.name }));
  const bucketOptions = [
    { value: NO_BUCKET, label: t('reports.editor.groupBy.bucket.none', 'Each value') },
    ...BUCKETS.map((bucket) => ({
      value: bucket,
      label: t(`reports.editor.groupBy.bucket.${bucket}`, BUCKET_LABELS[bucket]),
    })),
  ];

  return (
    <RowList
      rows={rows}
      list="query.groupBy"
      testId="group-by"
      addLabel={t('reports.editor.groupBy.add', 'Add a grouping')}
      removeLabel={(index) => t('reports.editor.groupBy.remove', 'Remove grouping {number}', { number: index + 1 })}
      newRow={(): GroupByDraft => ({ key: newKey(), field: '', bucket: '', as: '' })}
      errorOf={errorOf}
      onChange={onChange}
      renderRow={(row, key) => {
        const column = columns.find((candidate) => candidate.name === row.field);
        return (
          <Grid.Root gap={4}>
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.field`}
                label={t('reports.editor.groupBy.field', 'Column')}
                required
                error={errorOf(`${key}.field`)}
                placeholder={t('reports.editor.pickColumn', 'Pick a column')}
                options={columnOptions}
                value={row.field}
                onChange={(field) => {
                  // A bucket only suits a date column.
                  const keepsBucket = isDate(columns.find((candidate) => candidate.name === field));
                  const bucket = keepsBucket ? row.bucket : '';
                  onChange(
                    updateRow(rows, row.key, { field, bucket, as: keepsBucket ? autoAlias(field, bucket) : '' }),
                    `${key}.field`
                  );
                }}
              />
            </Grid.Item>
            {isDate(column) ? (
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <SelectField
                  name={`${key}.bucket`}
                  label={t('reports.editor.groupBy.bucket', 'Date bucket')}
                  error={errorOf(`${key}.bucket`)}
                  options={bucketOptions}
                  value={row.bucket || NO_BUCKET}
                  onChange={(value) => {
                    const bucket = value === NO_BUCKET ? '' : (value as Bucket);
                    // Follow the bucket while the alias is still the one the editor proposed.
                    const as =
                      !row.as || row.as === autoAlias(row.field, row.bucket) ? autoAlias(row.field, bucket) : row.as;
                    onChange(updateRow(rows, row.key, { bucket, as }), `${key}.bucket`);
                  }}
                />
              </Grid.Item>
            ) : null}
            {row.bucket ? (
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <TextField
                  name={`${key}.as`}
                  label={t('reports.editor.alias', 'Alias')}
                  hint={t('reports.editor.alias.hint', 'The result column’s name: letters, digits and _.')}
                  required
                  spellCheck={false}
                  error={errorOf(`${key}.as`)}
                  value={row.as}
                  onChange={(as) => onChange(updateRow(rows, row.key, { as }), `${key}.as`)}
                />
              </Grid.Item>
            ) : null}
          </Grid.Root>
        );
      }}
    />
  );
};
