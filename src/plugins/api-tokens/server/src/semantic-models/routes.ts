import { adminRoute, scopedTargetRoute } from '../utils/route-config';

export const semanticModelAdminRoutes = [
  {
    method: 'GET',
    path: '/semantic-models',
    handler: 'semantic-model.find',
    config: adminRoute('semantic-models.read'),
  },
  {
    method: 'POST',
    path: '/semantic-models',
    handler: 'semantic-model.create',
    config: adminRoute('semantic-models.create'),
  },
  {
    method: 'GET',
    path: '/semantic-model-sources',
    handler: 'semantic-model.sources',
    config: adminRoute('semantic-models.read'),
  },
  {
    method: 'GET',
    path: '/semantic-models/:id',
    handler: 'semantic-model.findOne',
    config: adminRoute('semantic-models.read'),
  },
  {
    method: 'PUT',
    path: '/semantic-models/:id',
    handler: 'semantic-model.update',
    config: adminRoute('semantic-models.update'),
  },
  {
    method: 'DELETE',
    path: '/semantic-models/:id',
    handler: 'semantic-model.delete',
    config: adminRoute('semantic-models.delete'),
  },
  {
    method: 'GET',
    path: '/semantic-models/:id/preview',
    handler: 'semantic-model.preview',
    config: adminRoute('semantic-models.read'),
  },
  {
    method: 'GET',
    path: '/semantic-models/:id/values',
    handler: 'semantic-model.values',
    config: adminRoute('semantic-models.read'),
  },
  {
    method: 'POST',
    path: '/semantic-models/:id/refresh',
    handler: 'semantic-model.refresh',
    config: adminRoute('semantic-models.refresh'),
  },
];

export const semanticModelContentApiRoutes = [
  {
    method: 'POST',
    path: '/semantic-models/:id/refreshes',
    handler: 'semantic-model.requestRefresh',
    config: scopedTargetRoute('semantic-models:refresh', 'models'),
  },
];
