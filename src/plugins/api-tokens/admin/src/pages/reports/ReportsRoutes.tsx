import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { REPORT_PERMISSIONS } from '../../permissions';
import { ReportEditorPage } from './ReportEditorPage';
import { ReportListPage } from './ReportListPage';
import { ReportPage } from './ReportPage';

/** /plugins/api-tokens/reports/* (App protects it with `reports.read`). */
export const ReportsRoutes = () => (
  <Routes>
    <Route index element={<ReportListPage />} />
    <Route
      path="new"
      element={
        <Page.Protect permissions={REPORT_PERMISSIONS.create}>
          <ReportEditorPage />
        </Page.Protect>
      }
    />
    <Route path=":documentId" element={<ReportPage />} />
    <Route
      path=":documentId/edit"
      element={
        <Page.Protect permissions={REPORT_PERMISSIONS.update}>
          <ReportEditorPage />
        </Page.Protect>
      }
    />
    <Route path="*" element={<Page.NoData />} />
  </Routes>
);
