import { modelKeys, useSemanticModelsApi, type SemanticModel } from '../../api/semantic-models';
import { getTranslation } from '../../utils/getTranslation';
import { useDeleteDocument } from '../../utils/useDeleteDocument';

/** The delete confirmed in DeleteModelDialog. */
export const useDeleteModel = (onDeleted?: () => void) => {
  const api = useSemanticModelsApi();
  return useDeleteDocument<SemanticModel>({
    remove: api.deleteModel,
    keys: modelKeys,
    messages: {
      success: { id: getTranslation('models.delete.success'), defaultMessage: '“{name}” was deleted' },
      error: { id: getTranslation('models.delete.error'), defaultMessage: 'The semantic model could not be deleted' },
    },
    onDeleted,
  });
};
