import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::sale.sale', ({ strapi }) => ({
  async summary(ctx) {
    ctx.body = { data: await strapi.service('api::sale.sale').summary() };
  },
}));
