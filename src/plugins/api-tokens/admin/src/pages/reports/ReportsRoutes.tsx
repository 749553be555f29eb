import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

/** /plugins/api-tokens/reports/* (App protects it with `reports.read`). Placeholder until the report screens land. */
export const ReportsRoutes = () => (
  <Routes>
    <Route path="*" element={<Page.NoData />} />
  </Routes>
);
