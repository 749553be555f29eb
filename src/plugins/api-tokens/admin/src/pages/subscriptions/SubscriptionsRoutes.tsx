import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { SUBSCRIPTION_PERMISSIONS } from '../../permissions';
import { SubscriptionEditorPage } from './SubscriptionEditorPage';
import { SubscriptionListPage } from './SubscriptionListPage';
import { SubscriptionPage } from './SubscriptionPage';

/** /plugins/api-tokens/subscriptions/* (App protects it with `subscriptions.read`). */
export const SubscriptionsRoutes = () => (
  <Routes>
    <Route index element={<SubscriptionListPage />} />
    <Route
      path="new"
      element={
        <Page.Protect permissions={SUBSCRIPTION_PERMISSIONS.create}>
          <SubscriptionEditorPage />
        </Page.Protect>
      }
    />
    <Route path=":documentId" element={<SubscriptionPage />} />
    <Route
      path=":documentId/edit"
      element={
        <Page.Protect permissions={SUBSCRIPTION_PERMISSIONS.update}>
          <SubscriptionEditorPage />
        </Page.Protect>
      }
    />
    <Route path="*" element={<Page.NoData />} />
  </Routes>
);
