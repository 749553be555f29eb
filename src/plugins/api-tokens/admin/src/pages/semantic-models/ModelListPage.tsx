import * as React from 'react';
import { Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { ListPage } from '../../components/ListPage';
import { errorMessageOf, isAbort } from '../../utils/errors';
import { useSemanticModelsApi, type ModelSources, type SemanticModel } from '../../api/semantic-models';
import { ALL_MODEL_PERMISSIONS } from '../../permissions';
import { getTranslation } from '../../utils/getTranslation';
import { DeleteModelDialog } from './components/DeleteModelDialog';
import { ModelTable } from './components/ModelTable';

export const ModelListPage = () => {
  const { formatMessage } = useIntl();
  const { toggleNotification } = useNotification();
  const api = useSemanticModelsApi();
  const {
    allowedActions: { canCreate, canUpdate, canDelete },
  } = useRBAC(ALL_MODEL_PERMISSIONS);
  const t = (id: string, defaultMessage: string, values?: Record<string, any>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  const [models, setModels] = React.useState<SemanticModel[]>([]);
  const [contentTypes, setContentTypes] = React.useState<ModelSources['contentTypes']>([]);
  const [isLoading, setIsLoading] = React.useState(true);
  const [loadError, setLoadError] = React.useState(false);
  const [deleting, setDeleting] = React.useState<SemanticModel | null>(null);

  React.useEffect(() => {
    let active = true;
    Promise.all([api.listModels(), api.listSources().catch(() => ({ types: [], contentTypes: [] }) as ModelSources)])
      .then(([list, sources]) => {
        if (!active) return;
        setModels(list);
        setContentTypes(sources.contentTypes);
      })
      .catch((error) => {
        if (!active || isAbort(error)) return;
        setLoadError(true);
        toggleNotification({
          type: 'danger',
          message: errorMessageOf(error, t('models.list.loadError', 'The semantic models could not be loaded.')),
        });
      })
      .finally(() => active && setIsLoading(false));
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, toggleNotification]);

  const handleDelete = async () => {
    if (!deleting) return;
    try {
      await api.deleteModel(deleting.documentId);
      setModels((rows) => rows.filter((row) => row.documentId !== deleting.documentId));
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

  if (isLoading) return <Page.Loading />;
  if (loadError) return <Page.Error />;

  return (
    <ListPage
      title={title}
      subtitle={t(
        'models.list.subtitle',
        'A semantic model is a snapshot of chosen fields of a content type, refreshed by hand or on a schedule, that dashboards and other apps query.'
      )}
      createLabel={t('models.list.create', 'Create model')}
      canCreate={canCreate}
      isEmpty={models.length === 0}
      emptyMessage={t('models.list.empty', 'No semantic models yet')}
      emptyMessageNoCreate={t(
        'models.list.empty.noCreate',
        'No semantic models yet. Ask an administrator to create one.'
      )}
      overlays={<DeleteModelDialog model={deleting} onCancel={() => setDeleting(null)} onConfirm={handleDelete} />}
    >
      <ModelTable
        models={models}
        contentTypes={contentTypes}
        canUpdate={canUpdate}
        canDelete={canDelete}
        onDelete={setDeleting}
      />
    </ListPage>
  );
};
