import {
  Box,
  Field,
  Flex,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { ArrowDown, ArrowUp, Trash } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { DashboardItem } from '../../../api/dashboards';
import type { Report } from '../../../api/reports';
import { SelectField } from '../../../components/SelectField';
import { getTranslation } from '../../../utils/getTranslation';

/** A dashboard item as the editor holds it: a stable key for React, as a report may show twice. */
export interface EditorItem extends DashboardItem {
  key: string;
}

const WIDTHS = Array.from({ length: 12 }, (_, index) => index + 1);

interface ItemListProps {
  items: EditorItem[];
  reports: Report[];
  /** Field errors: `items`, `items.<i>.report`, `items.<i>.width`. */
  errors: Record<string, string | undefined>;
  onChange: (items: EditorItem[]) => void;
  onAdd: (report: string) => void;
}

const move = <T,>(list: T[], from: number, to: number) => {
  const next = [...list];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
};

/** The dashboard's reports in grid order, each with its width, up/down and remove buttons, and a picker to add one. */
export const ItemList = ({ items, reports, errors, onChange, onAdd }: ItemListProps) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const nameOf = (report: string) =>
    reports.find((candidate) => candidate.documentId === report)?.name ??
    t('dashboards.items.unknown', 'Unknown report ({id})', { id: report });

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {items.length > 0 ? (
        <Box tag="ol" data-testid="dashboard-items">
          {items.map((item, index) => {
            const name = nameOf(item.report);
            const reportError = errors[`items.${index}.report`];
            return (
              <Box
                tag="li"
                key={item.key}
                data-testid="dashboard-item"
                data-report={item.report}
                paddingTop={3}
                paddingBottom={3}
                borderColor="neutral200"
                style={{ borderWidth: index === 0 ? 0 : '1px 0 0 0' }}
              >
                <Flex gap={4} alignItems="flex-end" wrap="wrap">
                  <Flex direction="column" alignItems="flex-start" gap={1} flex="1" minWidth="16rem">
                    <Typography variant="sigma" textColor="neutral600">
                      {t('dashboards.items.position', 'Position {position}', { position: index + 1 })}
                    </Typography>
                    <Typography fontWeight="bold" textColor="neutral800" data-testid="dashboard-item-name">
                      {name}
                    </Typography>
                    {reportError ? (
                      <Typography variant="pi" textColor="danger600" role="alert">
                        {reportError}
                      </Typography>
                    ) : null}
                  </Flex>
                  <Box width="14rem">
                    <Field.Root name={`items.${index}.width`} error={errors[`items.${index}.width`]}>
                      <Field.Label>
                        {t('dashboards.items.width', 'Width')}
                        <VisuallyHidden>{t('dashboards.items.width.of', ' of {name}', { name })}</VisuallyHidden>
                      </Field.Label>
                      <SingleSelect
                        value={String(item.width)}
                        onChange={(value: string | number) =>
                          onChange(items.map((other) => (other === item ? { ...other, width: Number(value) } : other)))
                        }
                      >
                        {WIDTHS.map((width) => (
                          <SingleSelectOption key={width} value={String(width)}>
                            {t('dashboards.items.width.option', '{width} of 12', { width })}
                          </SingleSelectOption>
                        ))}
                      </SingleSelect>
                      <Field.Error />
                    </Field.Root>
                  </Box>
                  <Flex gap={1} paddingBottom={1}>
                    <IconButton
                      variant="tertiary"
                      label={t('dashboards.items.up', 'Move {name} up', { name })}
                      disabled={index === 0}
                      onClick={() => onChange(move(items, index, index - 1))}
                    >
                      <ArrowUp />
                    </IconButton>
                    <IconButton
                      variant="tertiary"
                      label={t('dashboards.items.down', 'Move {name} down', { name })}
                      disabled={index === items.length - 1}
                      onClick={() => onChange(move(items, index, index + 1))}
                    >
                      <ArrowDown />
                    </IconButton>
                    <IconButton
                      variant="danger-light"
                      label={t('dashboards.items.remove', 'Remove {name}', { name })}
                      onClick={() => onChange(items.filter((other) => other !== item))}
                    >
                      <Trash />
                    </IconButton>
                  </Flex>
                </Flex>
              </Box>
            );
          })}
        </Box>
      ) : (
        <Typography textColor="neutral600">
          {t('dashboards.items.empty', 'No reports yet: add the first one below.')}
        </Typography>
      )}
      {errors.items ? (
        <Typography variant="pi" textColor="danger600" role="alert">
          {errors.items}
        </Typography>
      ) : null}
      <Box maxWidth="40rem">
        <SelectField
          name="add-report"
          label={t('dashboards.items.add', 'Add a report')}
          hint={
            reports.length === 0
              ? t('dashboards.items.add.none', 'There are no reports yet: create one in Reports first.')
              : undefined
          }
          value=""
          disabled={reports.length === 0}
          placeholder={t('dashboards.items.add.placeholder', 'Choose a report to add')}
          options={reports.map((report) => ({ value: report.documentId, label: report.name }))}
          onChange={onAdd}
        />
      </Box>
    </Flex>
  );
};
