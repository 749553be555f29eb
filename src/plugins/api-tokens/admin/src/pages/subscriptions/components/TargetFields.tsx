import { Grid } from '@strapi/design-system';
import { useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { dashboardKeys, useDashboardsApi } from '../../../api/dashboards';
import { reportKeys, useReportsApi } from '../../../api/reports';
import type { SubscriptionTarget } from '../../../api/subscriptions';
import { SelectField } from '../../../components/SelectField';
import { DASHBOARD_PERMISSIONS, REPORT_PERMISSIONS } from '../../../permissions';
import { getTranslation } from '../../../utils/getTranslation';
import { retryUnlessClientError } from '../../../utils/queryRetry';

interface TargetFieldsProps {
  type: SubscriptionTarget['type'];
  /** Empty until picked. */
  id: string;
  /** The saved target's name, shown when the lists cannot be read. */
  savedName?: string | null;
  error?: string;
  onChange: (target: SubscriptionTarget) => void;
}

/** What is delivered: a report or a dashboard, picked from their lists. */
export const TargetFields = ({ type, id, savedName, error, onChange }: TargetFieldsProps) => {
  const { formatMessage } = useIntl();
  const t = (key: string, defaultMessage: string) => formatMessage({ id: getTranslation(key), defaultMessage });
  const reportsApi = useReportsApi();
  const dashboardsApi = useDashboardsApi();
  const {
    allowedActions: { canRead: canReadReports },
  } = useRBAC(REPORT_PERMISSIONS.read);
  const {
    allowedActions: { canRead: canReadDashboards },
  } = useRBAC(DASHBOARD_PERMISSIONS.read);
  const reports = useQuery(reportKeys.list(), () => reportsApi.listReports(), {
    enabled: type === 'report' && canReadReports,
    retry: retryUnlessClientError,
  });
  const dashboards = useQuery(dashboardKeys.list(), () => dashboardsApi.listDashboards(), {
    enabled: type === 'dashboard' && canReadDashboards,
    retry: retryUnlessClientError,
  });
  const listed = (type === 'report' ? reports.data : dashboards.data) ?? [];
  const options = listed.map((item) => ({ value: item.documentId, label: item.name }));
  if (id && savedName && !options.some((option) => option.value === id)) options.push({ value: id, label: savedName });

  return (
    <Grid.Root gap={5}>
      <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
        <SelectField
          name="target.type"
          label={t('subscriptions.editor.targetType', 'Deliver')}
          required
          options={[
            { value: 'report', label: t('subscriptions.target.report', 'A report') },
            { value: 'dashboard', label: t('subscriptions.target.dashboard', 'A dashboard') },
          ]}
          value={type}
          onChange={(next) => next !== type && onChange({ type: next as SubscriptionTarget['type'], id: '' })}
        />
      </Grid.Item>
      <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
        <SelectField
          name="target.id"
          label={
            type === 'report'
              ? t('subscriptions.editor.report', 'Report')
              : t('subscriptions.editor.dashboard', 'Dashboard')
          }
          required
          error={error}
          hint={
            type === 'dashboard'
              ? t('subscriptions.editor.dashboard.hint', 'Every report of the dashboard, in order, in one delivery.')
              : undefined
          }
          placeholder={
            type === 'report'
              ? t('subscriptions.editor.report.placeholder', 'Pick a report')
              : t('subscriptions.editor.dashboard.placeholder', 'Pick a dashboard')
          }
          options={options}
          value={id}
          onChange={(next) => onChange({ type, id: next })}
        />
      </Grid.Item>
    </Grid.Root>
  );
};
