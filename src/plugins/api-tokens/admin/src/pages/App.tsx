import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { CreateTokenPage } from './tokens/CreateTokenPage';
import { TokenListPage } from './tokens/TokenListPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<TokenListPage />} />
      <Route
        path="new"
        element={
          <Page.Protect permissions={PERMISSIONS.create}>
            <CreateTokenPage />
          </Page.Protect>
        }
      />
      <Route path="*" element={<Page.NoData />} />
    </Routes>
  </Page.Protect>
);

export default App;
