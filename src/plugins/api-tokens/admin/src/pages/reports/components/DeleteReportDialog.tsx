import { useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useMutation, useQueryClient } from 'react-query';
import { reportKeys, useReportsApi, type Report } from '../../../api/reports';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { errorCodeOf, errorDetailsOf, errorMessageOf } from '../../../utils/errors';
import { getTranslation } from '../../../utils/getTranslation';

interface DeleteReportDialogProps {
  /** The report to delete; the dialog is open while it is set. */
  report: Pick<Report, 'documentId' | 'name'> | null;
  onCancel: () => void;
  onDeleted: () => void;
}

/** The names of the dashboards a 409 `REPORT_IN_USE` lists. */
const dashboardNamesOf = (error: unknown): string[] => {
  const dashboards = errorDetailsOf(error).dashboards;
  return Array.isArray(dashboards)
    ? dashboards.map((dashboard) => String(dashboard?.name ?? dashboard?.documentId))
    : [];
};

/** Confirms and deletes a report; a report that dashboards show is refused, naming them. */
export const DeleteReportDialog = ({ report, onCancel, onDeleted }: DeleteReportDialogProps) => {
  const { formatMessage, formatList } = useIntl();
  const { toggleNotification } = useNotification();
  const api = useReportsApi();
  const queryClient = useQueryClient();
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
  const name = report?.name ?? '';

  const mutation = useMutation((documentId: string) => api.deleteReport(documentId), {
    onSuccess: (_deleted, documentId) => {
      queryClient.removeQueries(reportKeys.detail(documentId));
      return queryClient.invalidateQueries(reportKeys.list());
    },
  });

  const handleConfirm = async () => {
    if (!report) return;
    try {
      await mutation.mutateAsync(report.documentId);
      toggleNotification({ type: 'success', message: t('reports.delete.success', '“{name}” was deleted', { name }) });
      onDeleted();
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message:
          errorCodeOf(error) === 'REPORT_IN_USE'
            ? t('reports.delete.inUse', '“{name}” is shown on {dashboards}. Remove it from them first.', {
                name,
                dashboards: formatList(dashboardNamesOf(error), { type: 'conjunction' }),
              })
            : errorMessageOf(error, t('reports.delete.error', 'The report could not be deleted')),
      });
      onCancel();
    }
  };

  return (
    <ConfirmDialog
      open={report !== null}
      title={t('reports.delete.title', 'Delete “{name}”?', { name })}
      description={t(
        'reports.delete.body',
        'The report and its embed settings are deleted. Embeds and subscriptions of “{name}” stop working.',
        { name }
      )}
      cancelLabel={t('reports.cancel', 'Cancel')}
      confirmLabel={t('reports.delete.confirm', 'Delete')}
      onCancel={onCancel}
      onConfirm={handleConfirm}
    />
  );
};
