import type { Core } from '@strapi/strapi';
import { createWebhookChannel } from './channels/webhook-channel';
import { runDemo } from './demo/seed';
import { assertProductionSecrets } from './production-secrets';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    assertProductionSecrets();
    // How a team extends the plugin: a scope of its own, enforced on src/api/sale/routes/01-sale-summary.ts.
    strapi.plugin('api-tokens').service('scopes').register({
      uid: 'sales:read',
      displayName: 'Read sales',
      description: 'Read the sales summary at GET /api/sales/summary',
    });
    // How a team adds a delivery channel: subscriptions may then pick `webhook` besides `email`.
    if (process.env.REPORTS_WEBHOOK_URL) {
      strapi
        .plugin('api-tokens')
        .service('channels')
        .register(createWebhookChannel({ url: process.env.REPORTS_WEBHOOK_URL }));
    }
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    if (process.env.DEMO === 'true') await runDemo(strapi);
  },
};
