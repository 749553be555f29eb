import { PLUGIN_ID } from './pluginId';

const actionOf = (capability: string) => (verb: string) => [
  { action: `plugin::${PLUGIN_ID}.${capability}.${verb}`, subject: null },
];
const action = actionOf('tokens');
const modelAction = actionOf('semantic-models');
const runAction = actionOf('runs');
const auditAction = actionOf('audit');
const reportAction = actionOf('reports');
const dashboardAction = actionOf('dashboards');
const subscriptionAction = actionOf('subscriptions');
const embedAction = actionOf('embeds');

/** RBAC actions of the token screens (registered by the server half). */
export const PERMISSIONS = {
  read: action('read'),
  create: action('create'),
  update: action('update'),
  regenerate: action('regenerate'),
  revoke: action('revoke'),
};

/** Every token action, for `useRBAC` (gives canRead, canCreate, canUpdate, canRegenerate, canRevoke). */
export const ALL_TOKEN_PERMISSIONS = Object.values(PERMISSIONS).flat();

/** RBAC actions of the semantic-model screens. */
export const MODEL_PERMISSIONS = {
  read: modelAction('read'),
  create: modelAction('create'),
  update: modelAction('update'),
  delete: modelAction('delete'),
  refresh: modelAction('refresh'),
};

/** Every semantic-model action, for `useRBAC` (gives canRead, canCreate, canUpdate, canDelete, canRefresh). */
export const ALL_MODEL_PERMISSIONS = Object.values(MODEL_PERMISSIONS).flat();

/** RBAC actions of the job-run history, the live run status and its cancel button. */
export const RUN_PERMISSIONS = { read: runAction('read'), cancel: runAction('cancel') };

/** Every run action, for `useRBAC` (gives canRead, canCancel). */
export const ALL_RUN_PERMISSIONS = Object.values(RUN_PERMISSIONS).flat();

/** The audit log screen and a token's audit trail (`useRBAC` gives canRead). */
export const AUDIT_PERMISSIONS = { read: auditAction('read') };

/** RBAC actions of the report screens (`useRBAC` gives canRead, canCreate, canUpdate, canDelete). */
export const REPORT_PERMISSIONS = {
  read: reportAction('read'),
  create: reportAction('create'),
  update: reportAction('update'),
  delete: reportAction('delete'),
};
export const ALL_REPORT_PERMISSIONS = Object.values(REPORT_PERMISSIONS).flat();

/** RBAC actions of the dashboard screens. */
export const DASHBOARD_PERMISSIONS = {
  read: dashboardAction('read'),
  create: dashboardAction('create'),
  update: dashboardAction('update'),
  delete: dashboardAction('delete'),
};
export const ALL_DASHBOARD_PERMISSIONS = Object.values(DASHBOARD_PERMISSIONS).flat();

/** RBAC actions of the subscription screens (`useRBAC` gives canRead, canCreate, canUpdate, canDelete, canSend). */
export const SUBSCRIPTION_PERMISSIONS = {
  read: subscriptionAction('read'),
  create: subscriptionAction('create'),
  update: subscriptionAction('update'),
  delete: subscriptionAction('delete'),
  send: subscriptionAction('send'),
};
export const ALL_SUBSCRIPTION_PERMISSIONS = Object.values(SUBSCRIPTION_PERMISSIONS).flat();

/** The embed playground: mint a test token for an embed the admin may read (`useRBAC` gives canPlayground). */
export const EMBED_PERMISSIONS = { playground: embedAction('playground') };

/** Who may open the plugin at all: a reader of any of its sections (Page.Protect and menu links need any one). */
export const PLUGIN_PERMISSIONS = [
  ...PERMISSIONS.read,
  ...MODEL_PERMISSIONS.read,
  ...REPORT_PERMISSIONS.read,
  ...DASHBOARD_PERMISSIONS.read,
  ...SUBSCRIPTION_PERMISSIONS.read,
  ...RUN_PERMISSIONS.read,
  ...AUDIT_PERMISSIONS.read,
];
