import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { MODEL_PERMISSIONS } from '../../permissions';
import { ModelEditorPage } from './ModelEditorPage';
import { ModelListPage } from './ModelListPage';
import { ModelPage } from './ModelPage';

/** /plugins/api-tokens/semantic-models/* (App protects it with `semantic-models.read`). */
export const SemanticModelsRoutes = () => (
  <Routes>
    <Route index element={<ModelListPage />} />
    <Route
      path="new"
      element={
        <Page.Protect permissions={MODEL_PERMISSIONS.create}>
          <ModelEditorPage />
        </Page.Protect>
      }
    />
    <Route path=":documentId" element={<ModelPage />} />
    <Route
      path=":documentId/edit"
      element={
        <Page.Protect permissions={MODEL_PERMISSIONS.update}>
          <ModelEditorPage />
        </Page.Protect>
      }
    />
    <Route path="*" element={<Page.NoData />} />
  </Routes>
);
