import * as React from 'react';
import { Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery, useQueryClient } from 'react-query';
import { ListPage } from '../../components/ListPage';
import { errorMessageOf } from '../../utils/errors';
import { modelKeys, useSemanticModelsApi, type SemanticModel } from '../../api/semantic-models';
import { ALL_MODEL_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { DeleteModelDialog } from './components/DeleteModelDialog';
import { ModelTable } from './components/ModelTable';

export const ModelListPage = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const queryClient = useQueryClient();
  const notifyLoadError = useNotifyLoadError();
  const api = useSemanticModelsApi();
  const {
    allowedActions: { canCreate, canUpdate, canDelete },
  } = useRBAC(ALL_MODEL_PERMISSIONS);
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const [deleting, setDeleting] = React.useState<SemanticModel | null>(null);

  const models = useQuery(modelKeys.list(), () => api.listModels(), {
    retry: retryUnlessClientError,
    onError: notifyLoadError(t('models.list.loadError', 'The semantic models could not be loaded.')),
  });
  // Without the sources, the table shows content-type uids instead of their names.
  const sources = useQuery(modelKeys.sources(), () => api.listSources(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
  });

  const handleDelete = async () => {
    if (!deleting) return;
    try {
      await api.deleteModel(deleting.documentId);
      queryClient.setQueryData<SemanticModel[] | undefined>(modelKeys.list(), (rows) =>
        rows?.filter((row) => row.documentId !== deleting.documentId)
      );
      queryClient.removeQueries(modelKeys.detail(deleting.documentId));
      toggleNotification({
        type: 'success',
        message: t('models.delete.success', '“{name}” was deleted', { name: deleting.name }),
      });
      setDeleting(null);
    } catch (error) {
      toggleNotification({
        type: 'danger',
        message: errorMessageOf(error, t('models.delete.error', 'The semantic model could not be deleted')),
      });
    }
  };

  const title = t('models.list.title', 'Semantic models');

  if (models.isLoading || sources.isLoading) return <Page.Loading />;
  if (models.isError || !models.data) return <Page.Error />;

  return (
    <ListPage
      title={title}
      subtitle={t(
        'models.list.subtitle',
        'A semantic model is a snapshot of chosen fields of a content type, refreshed by hand or on a schedule, that dashboards and other apps query.'
      )}
      createLabel={t('models.list.create', 'Create model')}
      canCreate={canCreate}
      isEmpty={models.data.length === 0}
      emptyMessage={t('models.list.empty', 'No semantic models yet')}
      emptyMessageNoCreate={t(
        'models.list.empty.noCreate',
        'No semantic models yet. Ask an administrator to create one.'
      )}
      overlays={<DeleteModelDialog model={deleting} onCancel={() => setDeleting(null)} onConfirm={handleDelete} />}
    >
      <ModelTable
        models={models.data}
        contentTypes={sources.data?.contentTypes ?? []}
        canUpdate={canUpdate}
        canDelete={canDelete}
        onDelete={setDeleting}
      />
    </ListPage>
  );
};
