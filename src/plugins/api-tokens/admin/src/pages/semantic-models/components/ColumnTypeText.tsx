import { Typography, type TypographyProps } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { ColumnType } from '../../../api/semantic-models';
import { getTranslation } from '../../../utils/getTranslation';

/** The one set of names the screens give column types. */
const COLUMN_TYPE_LABELS: Record<ColumnType, string> = {
  string: 'Text',
  integer: 'Integer',
  biginteger: 'Big integer',
  float: 'Decimal',
  boolean: 'Boolean',
  date: 'Date',
  datetime: 'Date & time',
};

/** A column type's name, e.g. "Decimal" for `float`; an unknown type (from a registered source) reads as is. */
export const ColumnTypeText = ({ type, ...props }: { type: string } & Omit<TypographyProps, 'children'>) => {
  const { formatMessage } = useIntl();
  const label = COLUMN_TYPE_LABELS[type as ColumnType];
  return (
    <Typography variant="pi" textColor="neutral600" data-column-type={type} {...props}>
      {label ? formatMessage({ id: getTranslation(`models.type.${type}`), defaultMessage: label }) : type}
    </Typography>
  );
};
