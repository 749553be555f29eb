import type * as React from 'react';
import { Divider } from '@strapi/design-system';
import { Layouts, Page, SubNav } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import {
  AUDIT_PERMISSIONS,
  DASHBOARD_PERMISSIONS,
  MODEL_PERMISSIONS,
  PERMISSIONS,
  PLUGIN_PERMISSIONS,
  REPORT_PERMISSIONS,
  RUN_PERMISSIONS,
  SUBSCRIPTION_PERMISSIONS,
} from '../permissions';
import { getTranslation } from '../utils/getTranslation';
import { PATHS, PLUGIN_BASE } from '../utils/paths';
import { AuditLogPage } from './audit/AuditLogPage';
import { DashboardsRoutes } from './dashboards/DashboardsRoutes';
import { EmbedActivityPage } from './embeds/EmbedActivityPage';
import { ReportsRoutes } from './reports/ReportsRoutes';
import { RunsPage } from './runs/RunsPage';
import { SemanticModelsRoutes } from './semantic-models/SemanticModelsRoutes';
import { SubscriptionsRoutes } from './subscriptions/SubscriptionsRoutes';
import { CreateTokenPage } from './tokens/CreateTokenPage';
import { TokenListPage } from './tokens/TokenListPage';
import { TokenPage } from './tokens/TokenPage';
import { useReadableSections, type Section } from './useReadableSections';

/** The nav's groups, each link with its section (shown to its readers only). */
const NAV: { id: string; label: string; links: { section: Section; to: string; id: string; label: string }[] }[] = [
  {
    id: 'access',
    label: 'Access',
    links: [
      { section: 'tokens', to: PLUGIN_BASE, id: 'tokens', label: 'API tokens' },
      { section: 'audit', to: PATHS.audit, id: 'audit', label: 'Audit log' },
      { section: 'audit', to: PATHS.embedActivity, id: 'embedActivity', label: 'Embed activity' },
    ],
  },
  {
    id: 'data',
    label: 'Data',
    links: [
      { section: 'models', to: PATHS.models, id: 'semanticModels', label: 'Semantic models' },
      { section: 'reports', to: PATHS.reports, id: 'reports', label: 'Reports' },
      { section: 'dashboards', to: PATHS.dashboards, id: 'dashboards', label: 'Dashboards' },
    ],
  },
  {
    id: 'delivery',
    label: 'Delivery',
    links: [
      { section: 'subscriptions', to: PATHS.subscriptions, id: 'subscriptions', label: 'Subscriptions' },
      { section: 'runs', to: PATHS.runs, id: 'runs', label: 'Runs' },
    ],
  },
];

/** The plugin's side navigation, as Strapi's Settings and Content-Type Builder draw theirs. */
const PluginNav = () => {
  const { formatMessage } = useIntl();
  const { pathname } = useLocation();
  const { canRead } = useReadableSections();
  const label = formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Reporting hub' });
  const inTokens = !Object.values(PATHS).some((section) => pathname.startsWith(section));

  const sections = NAV.map((group) => {
    const links = group.links
      .filter((link) => canRead[link.section])
      .map((link) =>
        link.section === 'tokens' ? (
          // `end` plus an explicit class: active on the list, /new and a token's page, not under the other sections.
          <SubNav.Link
            key={link.id}
            to={link.to}
            end
            className={inTokens ? 'active' : undefined}
            label={formatMessage({ id: getTranslation(`nav.${link.id}`), defaultMessage: link.label })}
          />
        ) : (
          <SubNav.Link
            key={link.id}
            to={link.to}
            label={formatMessage({ id: getTranslation(`nav.${link.id}`), defaultMessage: link.label })}
          />
        )
      );
    return links.length > 0 ? (
      <SubNav.Section
        key={group.id}
        label={formatMessage({ id: getTranslation(`nav.section.${group.id}`), defaultMessage: group.label })}
      >
        {links}
      </SubNav.Section>
    ) : null;
  }).filter(Boolean);

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

/** Where a reader who may not read tokens lands instead, in this order. */
const LANDINGS: { section: Section; path: string }[] = [
  { section: 'models', path: 'semantic-models' },
  { section: 'reports', path: 'reports' },
  { section: 'dashboards', path: 'dashboards' },
  { section: 'subscriptions', path: 'subscriptions' },
  { section: 'runs', path: 'runs' },
  { section: 'audit', path: 'audit' },
];

/** The plugin's landing page: the token list, or the first other section its reader may open. */
const TokensIndex = () => {
  const { isLoading, canRead } = useReadableSections();
  if (isLoading) return <Page.Loading />;
  const landing = canRead.tokens ? undefined : LANDINGS.find((candidate) => canRead[candidate.section]);
  if (landing) return <Navigate to={landing.path} replace />;
  return (
    <Page.Protect permissions={PERMISSIONS.read}>
      <TokenListPage />
    </Page.Protect>
  );
};

/** A section's routes behind its read permission. */
const protect = (permissions: { action: string; subject: null }[], element: React.ReactNode) => (
  <Page.Protect permissions={permissions}>{element}</Page.Protect>
);

const App = () => (
  <Page.Protect permissions={PLUGIN_PERMISSIONS}>
    <Layouts.Root sideNav={<PluginNav />}>
      <Routes>
        <Route index element={<TokensIndex />} />
        <Route path="new" element={protect(PERMISSIONS.create, <CreateTokenPage />)} />
        <Route path="tokens/:documentId" element={protect(PERMISSIONS.read, <TokenPage />)} />
        <Route path="audit" element={protect(AUDIT_PERMISSIONS.read, <AuditLogPage />)} />
        <Route path="embed-activity" element={protect(AUDIT_PERMISSIONS.read, <EmbedActivityPage />)} />
        <Route path="semantic-models/*" element={protect(MODEL_PERMISSIONS.read, <SemanticModelsRoutes />)} />
        <Route path="reports/*" element={protect(REPORT_PERMISSIONS.read, <ReportsRoutes />)} />
        <Route path="dashboards/*" element={protect(DASHBOARD_PERMISSIONS.read, <DashboardsRoutes />)} />
        <Route path="subscriptions/*" element={protect(SUBSCRIPTION_PERMISSIONS.read, <SubscriptionsRoutes />)} />
        <Route path="runs" element={protect(RUN_PERMISSIONS.read, <RunsPage />)} />
        <Route path="*" element={<Page.NoData />} />
      </Routes>
    </Layouts.Root>
  </Page.Protect>
);

export default App;
