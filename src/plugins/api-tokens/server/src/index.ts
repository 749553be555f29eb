import auditContentType from './audit/content-type';
import auditEvent from './audit/controller';
import { auditAdminRoutes } from './audit/routes';
import audit from './audit/service';
import bootstrap from './bootstrap';
import cluster from './cluster/service';
import config from './config';
import dashboardContentType from './dashboards/content-type';
import dashboard from './dashboards/controller';
import { dashboardAdminRoutes } from './dashboards/routes';
import dashboards from './dashboards/service';
import destroy from './destroy';
import embedAdmin from './embeds/admin-controller';
import { embedAdminRoutes } from './embeds/admin-routes';
import embed from './embeds/controller';
import embedRevocationContentType from './embeds/revocation-content-type';
import { embedContentApiRoutes } from './embeds/routes';
import embedPlayground from './embeds/playground';
import embeds from './embeds/service';
import embedViewer from './embeds/viewer-controller';
import jobRunContentType from './jobs/run-content-type';
import jobScheduleContentType from './jobs/schedule-content-type';
import run from './jobs/controller';
import oauthController from './oauth/controller';
import oauth from './oauth/service';
import openapiController from './openapi/controller';
import { openApiContentApiRoutes } from './openapi/routes';
import openapi from './openapi/service';
import { runAdminRoutes, runContentApiRoutes } from './jobs/routes';
import runs from './jobs/runs';
import scheduler from './jobs/scheduler';
import schedules from './jobs/schedule-rows';
import register from './register';
import tokenReminderContentType from './reminders/content-type';
import reminders from './reminders/service';
import reportContentType from './reports/content-type';
import report from './reports/controller';
import { reportAdminRoutes } from './reports/routes';
import reports from './reports/service';
import semanticModelContentType from './semantic-models/content-type';
import semanticModel from './semantic-models/controller';
import { semanticModelAdminRoutes, semanticModelContentApiRoutes } from './semantic-models/routes';
import semanticModels from './semantic-models/service';
import snapshots from './semantic-models/snapshot-store';
import sources from './semantic-models/sources';
import tokenContentType from './tokens/content-type';
import token from './tokens/controller';
import hasScope from './tokens/has-scope-policy';
import { tokenAdminRoutes, tokenContentApiRoutes } from './tokens/routes';
import scopes from './tokens/scopes';
import tokens from './tokens/service';
import channels from './subscriptions/delivery/channels';
import deliveryContentType from './subscriptions/delivery/delivery-content-type';
import deliveries from './subscriptions/delivery/deliveries';
import subscriptionContentType from './subscriptions/content-type';
import subscription from './subscriptions/controller';
import { subscriptionAdminRoutes, subscriptionContentApiRoutes } from './subscriptions/routes';
import subscriptions from './subscriptions/service';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes: {
    'api-token': tokenContentType,
    'audit-event': auditContentType,
    'semantic-model': semanticModelContentType,
    'job-run': jobRunContentType,
    'job-schedule': jobScheduleContentType,
    report: reportContentType,
    dashboard: dashboardContentType,
    subscription: subscriptionContentType,
    delivery: deliveryContentType,
    'embed-revocation': embedRevocationContentType,
    'token-reminder': tokenReminderContentType,
  },
  controllers: {
    token,
    'semantic-model': semanticModel,
    run,
    'audit-event': auditEvent,
    report,
    dashboard,
    subscription,
    embed,
    oauth: oauthController,
    openapi: openapiController,
    'embed-admin': embedAdmin,
    'embed-viewer': embedViewer,
  },
  services: {
    cluster,
    tokens,
    scopes,
    audit,
    sources,
    snapshots,
    'semantic-models': semanticModels,
    runs,
    schedules,
    scheduler,
    reports,
    dashboards,
    channels,
    deliveries,
    subscriptions,
    embeds,
    oauth,
    openapi,
    'embed-playground': embedPlayground,
    reminders,
  },
  policies: { 'has-scope': hasScope },
  routes: {
    admin: {
      type: 'admin',
      routes: [
        ...tokenAdminRoutes,
        ...semanticModelAdminRoutes,
        ...runAdminRoutes,
        ...auditAdminRoutes,
        ...reportAdminRoutes,
        ...dashboardAdminRoutes,
        ...subscriptionAdminRoutes,
        ...embedAdminRoutes,
      ],
    },
    'content-api': {
      type: 'content-api',
      routes: [
        ...tokenContentApiRoutes,
        ...semanticModelContentApiRoutes,
        ...runContentApiRoutes,
        ...subscriptionContentApiRoutes,
        ...embedContentApiRoutes,
        ...openApiContentApiRoutes,
      ],
    },
  },
};

export type { JobDefaults, JobKind, JobTarget, Run, RunContext, RunStats } from './jobs/types';
export type { Column, Row, SourceType } from './semantic-models/sources';
export type { ScopeDefinition } from './tokens/scopes';
export type { DeliveryChannel, DeliveryMessage, DeliveryReceipt } from './subscriptions/types';
export type { AuthenticatedToken } from './tokens/service';
