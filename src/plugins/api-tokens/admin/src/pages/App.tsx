import { Divider } from '@strapi/design-system';
import { Layouts, Page, SubNav, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import {
  AUDIT_PERMISSIONS,
  DASHBOARD_PERMISSIONS,
  MODEL_PERMISSIONS,
  PERMISSIONS,
  PLUGIN_PERMISSIONS,
  REPORT_PERMISSIONS,
} from '../permissions';
import { PLUGIN_ID } from '../pluginId';
import { getTranslation } from '../utils/getTranslation';
import { AuditLogPage } from './audit/AuditLogPage';
import { DashboardsRoutes } from './dashboards/DashboardsRoutes';
import { ReportsRoutes } from './reports/ReportsRoutes';
import { SemanticModelsRoutes } from './semantic-models/SemanticModelsRoutes';
import { CreateTokenPage } from './tokens/CreateTokenPage';
import { TokenListPage } from './tokens/TokenListPage';
import { TokenPage } from './tokens/TokenPage';

const BASE = `/plugins/${PLUGIN_ID}`;
const MODELS = `${BASE}/semantic-models`;
const AUDIT = `${BASE}/audit`;
const REPORTS = `${BASE}/reports`;
const DASHBOARDS = `${BASE}/dashboards`;

/** The plugin's side navigation, as Strapi's Settings and Content-Type Builder draw theirs. */
const PluginNav = () => {
  const { formatMessage } = useIntl();
  const { pathname } = useLocation();
  const {
    allowedActions: { canRead: canReadTokens },
  } = useRBAC(PERMISSIONS.read);
  const {
    allowedActions: { canRead: canReadModels },
  } = useRBAC(MODEL_PERMISSIONS.read);
  const {
    allowedActions: { canRead: canReadAudit },
  } = useRBAC(AUDIT_PERMISSIONS.read);
  const {
    allowedActions: { canRead: canReadReports },
  } = useRBAC(REPORT_PERMISSIONS.read);
  const {
    allowedActions: { canRead: canReadDashboards },
  } = useRBAC(DASHBOARD_PERMISSIONS.read);
  const label = formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Reporting hub' });
  const inTokens = ![MODELS, AUDIT, REPORTS, DASHBOARDS].some((section) => pathname.startsWith(section));
  const accessLinks = [
    canReadTokens ? (
      // `end` plus an explicit class: active on the list, /new and a token's page, not under the other sections.
      <SubNav.Link
        key="tokens"
        to={BASE}
        end
        className={inTokens ? 'active' : undefined}
        label={formatMessage({ id: getTranslation('nav.tokens'), defaultMessage: 'API tokens' })}
      />
    ) : null,
    canReadAudit ? (
      <SubNav.Link
        key="audit"
        to={AUDIT}
        label={formatMessage({ id: getTranslation('nav.audit'), defaultMessage: 'Audit log' })}
      />
    ) : null,
  ].filter(Boolean);

  const dataLinks = [
    canReadModels ? (
      <SubNav.Link
        key="models"
        to={MODELS}
        label={formatMessage({ id: getTranslation('nav.semanticModels'), defaultMessage: 'Semantic models' })}
      />
    ) : null,
    canReadReports ? (
      <SubNav.Link
        key="reports"
        to={REPORTS}
        label={formatMessage({ id: getTranslation('nav.reports'), defaultMessage: 'Reports' })}
      />
    ) : null,
    canReadDashboards ? (
      <SubNav.Link
        key="dashboards"
        to={DASHBOARDS}
        label={formatMessage({ id: getTranslation('nav.dashboards'), defaultMessage: 'Dashboards' })}
      />
    ) : null,
  ].filter(Boolean);

  const sections = [
    accessLinks.length > 0 ? (
      <SubNav.Section
        key="access"
        label={formatMessage({ id: getTranslation('nav.section.access'), defaultMessage: 'Access' })}
      >
        {accessLinks}
      </SubNav.Section>
    ) : null,
    dataLinks.length > 0 ? (
      <SubNav.Section
        key="data"
        label={formatMessage({ id: getTranslation('nav.section.data'), defaultMessage: 'Data' })}
      >
        {dataLinks}
      </SubNav.Section>
    ) : null,
  ].filter(Boolean);

  return (
    <SubNav.Main aria-label={label}>
      <SubNav.Header label={label} />
      <Divider />
      <SubNav.Content>
        <SubNav.Sections>{sections}</SubNav.Sections>
      </SubNav.Content>
    </SubNav.Main>
  );
};

/** The plugin's landing page: the token list, or the first other section its reader may open. */
const TokensIndex = () => {
  const {
    isLoading: isLoadingTokens,
    allowedActions: { canRead: canReadTokens },
  } = useRBAC(PERMISSIONS.read);
  const {
    isLoading: isLoadingModels,
    allowedActions: { canRead: canReadModels },
  } = useRBAC(MODEL_PERMISSIONS.read);
  const {
    isLoading: isLoadingAudit,
    allowedActions: { canRead: canReadAudit },
  } = useRBAC(AUDIT_PERMISSIONS.read);
  const {
    isLoading: isLoadingReports,
    allowedActions: { canRead: canReadReports },
  } = useRBAC(REPORT_PERMISSIONS.read);
  const {
    isLoading: isLoadingDashboards,
    allowedActions: { canRead: canReadDashboards },
  } = useRBAC(DASHBOARD_PERMISSIONS.read);
  if (isLoadingTokens || isLoadingModels || isLoadingAudit || isLoadingReports || isLoadingDashboards) {
    return <Page.Loading />;
  }
  if (!canReadTokens && canReadModels) return <Navigate to="semantic-models" replace />;
  if (!canReadTokens && canReadReports) return <Navigate to="reports" replace />;
  if (!canReadTokens && canReadDashboards) return <Navigate to="dashboards" replace />;
  if (!canReadTokens && canReadAudit) return <Navigate to="audit" replace />;
  return (
    <Page.Protect permissions={PERMISSIONS.read}>
      <TokenListPage />
    </Page.Protect>
  );
};

const App = () => (
  <Page.Protect permissions={PLUGIN_PERMISSIONS}>
    <Layouts.Root sideNav={<PluginNav />}>
      <Routes>
        <Route index element={<TokensIndex />} />
        <Route
          path="new"
          element={
            <Page.Protect permissions={PERMISSIONS.create}>
              <CreateTokenPage />
            </Page.Protect>
          }
        />
        <Route
          path="tokens/:documentId"
          element={
            <Page.Protect permissions={PERMISSIONS.read}>
              <TokenPage />
            </Page.Protect>
          }
        />
        <Route
          path="audit"
          element={
            <Page.Protect permissions={AUDIT_PERMISSIONS.read}>
              <AuditLogPage />
            </Page.Protect>
          }
        />
        <Route
          path="semantic-models/*"
          element={
            <Page.Protect permissions={MODEL_PERMISSIONS.read}>
              <SemanticModelsRoutes />
            </Page.Protect>
          }
        />
        <Route
          path="reports/*"
          element={
            <Page.Protect permissions={REPORT_PERMISSIONS.read}>
              <ReportsRoutes />
            </Page.Protect>
          }
        />
        <Route
          path="dashboards/*"
          element={
            <Page.Protect permissions={DASHBOARD_PERMISSIONS.read}>
              <DashboardsRoutes />
            </Page.Protect>
          }
        />
        <Route path="*" element={<Page.NoData />} />
      </Routes>
    </Layouts.Root>
  </Page.Protect>
);

export default App;
