import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { DASHBOARD_PERMISSIONS } from '../../permissions';
import { DashboardEditorPage } from './DashboardEditorPage';
import { DashboardListPage } from './DashboardListPage';
import { DashboardPage } from './DashboardPage';

/** /plugins/api-tokens/dashboards/* (App protects it with `dashboards.read`). */
export const DashboardsRoutes = () => (
  <Routes>
    <Route index element={<DashboardListPage />} />
    <Route
      path="new"
      element={
        <Page.Protect permissions={DASHBOARD_PERMISSIONS.create}>
          <DashboardEditorPage />
        </Page.Protect>
      }
    />
    <Route path=":documentId" element={<DashboardPage />} />
    <Route
      path=":documentId/edit"
      element={
        <Page.Protect permissions={DASHBOARD_PERMISSIONS.update}>
          <DashboardEditorPage />
        </Page.Protect>
      }
    />
    <Route path="*" element={<Page.NoData />} />
  </Routes>
);
