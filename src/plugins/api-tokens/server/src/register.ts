import type { Core } from '@strapi/strapi';
import { AUDIT_ACTIONS } from './audit/actions';
import { DASHBOARD_ACTIONS } from './dashboards/actions';
import { EMBED_ACTIONS } from './embeds/actions';
import { RUN_ACTIONS } from './jobs/actions';
import { createContentTypeSource } from './semantic-models/content-type-source';
import { SEMANTIC_MODEL_ACTIONS } from './semantic-models/actions';
import { REPORT_ACTIONS } from './reports/actions';
import { SUBSCRIPTION_ACTIONS } from './subscriptions/actions';
import { createSubscriptionJob } from './subscriptions/subscription-job';
import { createEmailChannel } from './subscriptions/delivery/email-channel';
import { createRefreshJob } from './semantic-models/refresh-job';
import { TOKEN_ACTIONS } from './tokens/actions';
import { getService } from './utils/get-service';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  // In register(), not bootstrap(): admin's bootstrap resets the super-admin's permissions from the registered actions.
  await strapi
    .service('admin::permission')
    .actionProvider.registerMany([
      ...TOKEN_ACTIONS,
      ...SEMANTIC_MODEL_ACTIONS,
      ...RUN_ACTIONS,
      ...AUDIT_ACTIONS,
      ...REPORT_ACTIONS,
      ...DASHBOARD_ACTIONS,
      ...SUBSCRIPTION_ACTIONS,
      ...EMBED_ACTIONS,
    ]);
  getService('sources').register(createContentTypeSource(strapi));
  getService('runs').registerKind(createRefreshJob(strapi));
  getService('runs').registerKind(createSubscriptionJob(strapi));
  getService('channels').register(createEmailChannel(strapi));
};

export default register;
