import { Page, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useQuery } from 'react-query';
import { ListPage } from '../../components/ListPage';
import { modelKeys, useSemanticModelsApi } from '../../api/semantic-models';
import { ALL_MODEL_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { retryUnlessClientError } from '../../utils/queryRetry';
import { useNotifyLoadError } from '../../utils/useNotifyLoadError';
import { DeleteModelDialog } from './components/DeleteModelDialog';
import { ModelTable } from './components/ModelTable';
import { useDeleteModel } from './useDeleteModel';

export const ModelListPage = () => {
  const { formatMessage } = useIntl();
  const notifyLoadError = useNotifyLoadError();
  const api = useSemanticModelsApi();
  const {
    allowedActions: { canCreate, canUpdate, canDelete },
  } = useRBAC(ALL_MODEL_PERMISSIONS);
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const { deleting, setDeleting, confirmDelete } = useDeleteModel();

  const models = useQuery(modelKeys.list(), () => api.listModels(), {
    retry: retryUnlessClientError,
    onError: notifyLoadError(t('models.list.loadError', 'The semantic models could not be loaded.')),
  });
  // Without the sources, the table shows content-type uids instead of their names.
  const sources = useQuery(modelKeys.sources(), () => api.listSources(), {
    staleTime: Infinity,
    retry: retryUnlessClientError,
  });

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
      overlays={<DeleteModelDialog model={deleting} onCancel={() => setDeleting(null)} onConfirm={confirmDelete} />}
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
