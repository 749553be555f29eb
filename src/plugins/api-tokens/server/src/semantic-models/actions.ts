import { defineActions } from '../utils/actions';

/** `plugin::api-tokens.semantic-models.<verb>` */
export const SEMANTIC_MODEL_ACTIONS = defineActions('Semantic models', [
  { uid: 'semantic-models.read', displayName: 'Read semantic models' },
  { uid: 'semantic-models.create', displayName: 'Create semantic models' },
  { uid: 'semantic-models.update', displayName: 'Update semantic models' },
  { uid: 'semantic-models.delete', displayName: 'Delete semantic models' },
  { uid: 'semantic-models.refresh', displayName: 'Refresh semantic models' },
]);
