import { factories } from '@strapi/strapi';

// The standard CRUD routes, behind Strapi's own users-permissions and API-token auth.
export default factories.createCoreRouter('api::sale.sale', { only: ['find', 'findOne'] });
