import * as React from 'react';
import { EmptyStateLayout, LinkButton } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { EmptyDocuments } from '@strapi/icons/symbols';
import { Layouts, Page, useNotification, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { errorMessageOf, isAbort } from '../../api/tokens';
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
      toggleNotification({ type: 'success', message: t('models.delete.success', '“{name}” was deleted', { name: deleting.name }) });
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

  const createButton = (variant: 'default' | 'secondary') => (
    <LinkButton tag={Link} to="new" variant={variant} startIcon={<Plus />} size={variant === 'default' ? 'S' : 'M'}>
      {t('models.list.create', 'Create model')}
    </LinkButton>
  );

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t(
          'models.list.subtitle',
          'A semantic model is a snapshot of chosen fields of a content type, refreshed by hand or on a schedule, that dashboards and other apps query.'
        )}
        primaryAction={canCreate ? createButton('default') : null}
      />
      <Layouts.Content>
        {models.length > 0 ? (
          <ModelTable
            models={models}
            contentTypes={contentTypes}
            canUpdate={canUpdate}
            canDelete={canDelete}
            onDelete={setDeleting}
          />
        ) : (
          <EmptyStateLayout
            icon={<EmptyDocuments width="16rem" />}
            content={
              canCreate
                ? t('models.list.empty', 'No semantic models yet')
                : t('models.list.empty.noCreate', 'No semantic models yet. Ask an administrator to create one.')
            }
            action={canCreate ? createButton('secondary') : undefined}
          />
        )}
      </Layouts.Content>
      <DeleteModelDialog model={deleting} onCancel={() => setDeleting(null)} onConfirm={handleDelete} />
    </Page.Main>
  );
};
