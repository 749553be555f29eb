import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

/** /plugins/api-tokens/dashboards/* (App protects it with `dashboards.read`). Placeholder until the screens land. */
export const DashboardsRoutes = () => (
  <Routes>
    <Route path="*" element={<Page.NoData />} />
  </Routes>
);
