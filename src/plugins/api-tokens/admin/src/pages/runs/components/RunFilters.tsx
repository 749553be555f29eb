import { Box, Flex } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { RunQuery, RunStatus, RunTrigger } from '../../../api/runs';
import { SelectField } from '../../../components/SelectField';
import { RUN_STATUS_LABELS } from '../../../components/RunStatusBadge';
import { getTranslation } from '../../../utils/getTranslation';
import { RUN_KIND_LABELS, RUN_TRIGGER_LABELS, useRunLabels } from '../../../utils/useRunLabels';

export type RunFilterValues = Pick<RunQuery, 'kind' | 'status' | 'trigger'>;

interface RunFiltersProps {
  values: RunFilterValues;
  onChange: (values: RunFilterValues) => void;
}

/** The Runs page's filters: kind, status and trigger, each clearable (all of them). */
export const RunFilters = ({ values, onChange }: RunFiltersProps) => {
  const { formatMessage } = useIntl();
  const { kindLabel, triggerLabel } = useRunLabels();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const all = t('runs.filters.all', 'All');
  const clearLabel = t('runs.filters.clear', 'Clear');
  const statusLabel = (status: RunStatus) =>
    formatMessage({ id: getTranslation(`runs.status.${status}`), defaultMessage: RUN_STATUS_LABELS[status] });

  const filters = [
    {
      name: 'kind' as const,
      label: t('runs.filters.kind', 'Kind'),
      options: Object.keys(RUN_KIND_LABELS).map((kind) => ({ value: kind, label: kindLabel(kind) })),
    },
    {
      name: 'status' as const,
      label: t('runs.filters.status', 'Status'),
      options: (Object.keys(RUN_STATUS_LABELS) as RunStatus[]).map((status) => ({
        value: status,
        label: statusLabel(status),
      })),
    },
    {
      name: 'trigger' as const,
      label: t('runs.filters.trigger', 'Trigger'),
      options: (Object.keys(RUN_TRIGGER_LABELS) as RunTrigger[]).map((trigger) => ({
        value: trigger,
        label: triggerLabel(trigger),
      })),
    },
  ];

  return (
    <Flex gap={4} wrap="wrap" alignItems="flex-start" role="search" data-testid="run-filters">
      {filters.map((filter) => (
        <Box key={filter.name} width="20rem">
          <SelectField
            name={filter.name}
            label={filter.label}
            placeholder={all}
            options={filter.options}
            value={values[filter.name] ?? ''}
            clearLabel={clearLabel}
            onClear={() => onChange({ ...values, [filter.name]: undefined })}
            onChange={(value) => onChange({ ...values, [filter.name]: value || undefined })}
          />
        </Box>
      ))}
    </Flex>
  );
};
