import { Grid } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { SelectField } from '../../../components/SelectField';
import { getTranslation } from '../../../utils/getTranslation';
import type { SortDraft } from '../reportDraft';
import { newKey, updateRow } from '../../../utils/rows';
import { RowList, type RowsFieldProps } from '../../../components/RowList';

/** Sort rows over the result's columns (aliases included), each ascending or descending. */
export const SortFields = ({ rows, fields, errorOf, onChange }: RowsFieldProps<SortDraft> & { fields: string[] }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const dirOptions = [
    { value: 'asc', label: t('reports.editor.sort.asc', 'Ascending') },
    { value: 'desc', label: t('reports.editor.sort.desc', 'Descending') },
  ];

  return (
    <RowList
      rows={rows}
      list="query.sort"
      testId="sort"
      addLabel={t('reports.editor.sort.add', 'Add a sort')}
      removeLabel={(index) => t('reports.editor.sort.remove', 'Remove sort {number}', { number: index + 1 })}
      newRow={(): SortDraft => ({ key: newKey(), field: '', dir: 'asc' })}
      errorOf={errorOf}
      onChange={onChange}
      renderRow={(row, key) => {
        return (
          <Grid.Root gap={4}>
            <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.field`}
                label={t('reports.editor.sort.field', 'Sort by')}
                required
                error={errorOf(`${key}.field`)}
                placeholder={t('reports.editor.pickColumn', 'Pick a column')}
                options={fields.map((field) => ({ value: field, label: field }))}
                value={row.field}
                onChange={(field) => onChange(updateRow(rows, row.key, { field }), `${key}.field`)}
              />
            </Grid.Item>
            <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
              <SelectField
                name={`${key}.dir`}
                label={t('reports.editor.sort.dir', 'Direction')}
                error={errorOf(`${key}.dir`)}
                options={dirOptions}
                value={row.dir}
                onChange={(dir) => onChange(updateRow(rows, row.key, { dir: dir as SortDraft['dir'] }), `${key}.dir`)}
              />
            </Grid.Item>
          </Grid.Root>
        );
      }}
    />
  );
};
